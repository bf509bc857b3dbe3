package dev.tern.sdk;

import java.util.Locale;

/**
 * What a run may spend on model calls: at most {@code maxCostUsd} dollars and {@code maxTokens} tokens (input plus
 * output), either {@code null} for no cap. The budget is checked before each model call, never after; what happens when
 * it is spent is {@code onExceeded}: fail the run with {@link BudgetExceededException}, or ask a human whether to raise
 * it.
 */
public record Budget(Double maxCostUsd, Long maxTokens, OnExceeded onExceeded) {

    /** What a run does when its budget is spent before a model call. */
    public enum OnExceeded {
        /** Fail the run with {@code BudgetExceeded}. */
        FAIL,
        /** Ask a human (the run is awaiting-human); an approval raises the budget and the run goes on. */
        ASK;

        private final String wire = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wire;
        }

        /** Parses {@code fail} or {@code ask}. */
        public static OnExceeded parse(String value) {
            for (OnExceeded v : values()) if (v.wireName().equals(value)) return v;
            throw new IllegalArgumentException("must be 'fail' or 'ask', was '" + value + "'");
        }
    }

    /** No cap at all. */
    public static final Budget NONE = new Budget(null, null, OnExceeded.FAIL);

    public Budget {
        if (maxCostUsd != null && (maxCostUsd.isNaN() || maxCostUsd.isInfinite() || maxCostUsd < 0)) {
            throw new IllegalArgumentException("maxCostUsd must be a finite number >= 0, was " + maxCostUsd);
        }
        if (maxTokens != null && maxTokens < 0)
            throw new IllegalArgumentException("maxTokens must be >= 0, was " + maxTokens);
        if (onExceeded == null) onExceeded = OnExceeded.FAIL;
    }

    public static Budget ofUsd(double maxCostUsd) {
        return new Budget(maxCostUsd, null, OnExceeded.FAIL);
    }

    public static Budget ofTokens(long maxTokens) {
        return new Budget(null, maxTokens, OnExceeded.FAIL);
    }

    public Budget withMaxCostUsd(Double value) {
        return new Budget(value, maxTokens, onExceeded);
    }

    public Budget withMaxTokens(Long value) {
        return new Budget(maxCostUsd, value, onExceeded);
    }

    public Budget withOnExceeded(OnExceeded value) {
        return new Budget(maxCostUsd, maxTokens, value);
    }

    /** Whether any cap is set. */
    public boolean isCapped() {
        return maxCostUsd != null || maxTokens != null;
    }

    /** Whether {@code spent} has reached a cap: the next model call may not be made. */
    public boolean isSpentBy(Usage spent) {
        return (maxCostUsd != null && spent.costUsd() >= maxCostUsd)
                || (maxTokens != null && spent.inputTokens() + spent.outputTokens() >= maxTokens);
    }

    /** The budget with {@code usd} more dollars and {@code tokens} more tokens (caps that are not set stay unset). */
    public Budget raisedBy(double usd, long tokens) {
        return new Budget(
                maxCostUsd == null ? null : maxCostUsd + usd,
                maxTokens == null ? null : maxTokens + tokens,
                onExceeded);
    }

    /** For messages: {@code $0.0100 and 2,000 tokens}. */
    public String describe() {
        if (!isCapped()) return "no cap";
        StringBuilder s = new StringBuilder();
        if (maxCostUsd != null) s.append(String.format(Locale.ROOT, "$%.4f", maxCostUsd));
        if (maxTokens != null)
            s.append(s.isEmpty() ? "" : " and ").append(String.format(Locale.ROOT, "%,d tokens", maxTokens));
        return s.toString();
    }
}
