package dev.tern.sdk;

import java.util.Locale;

/**
 * The run has spent its {@link Budget}: no further model call is made, and the run fails with {@code BudgetExceeded}.
 */
public final class BudgetExceededException extends RunFailedException {
    private static final long serialVersionUID = 1L;
    public static final String ERROR_TYPE = "BudgetExceeded";
    private final transient Usage spent;
    private final transient Budget budget;

    public BudgetExceededException(Usage spent, Budget budget) {
        super(ERROR_TYPE, describe(spent, budget));
        this.spent = spent;
        this.budget = budget;
    }

    /** What the run had spent when the check stopped it. */
    public Usage spent() {
        return spent;
    }

    public Budget budget() {
        return budget;
    }

    /** {@code spent $0.0123 (1,234 tokens) of a budget of $0.0100}. */
    public static String describe(Usage spent, Budget budget) {
        return String.format(
                Locale.ROOT,
                "spent $%.4f (%,d tokens) of a budget of %s",
                spent.costUsd(),
                spent.inputTokens() + spent.outputTokens(),
                budget.describe());
    }
}
