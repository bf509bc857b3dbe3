package dev.tern.sdk;

/** Tokens and money a step spent, e.g. on an LLM call; runs add up the usage of their steps. */
public record Usage(long inputTokens, long outputTokens, double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
        if (costUsd < 0 || Double.isNaN(costUsd) || Double.isInfinite(costUsd))
            throw new IllegalArgumentException("costUsd must be a finite number >= 0");
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, costUsd + other.costUsd);
    }
}
