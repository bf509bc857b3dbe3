package dev.tern.agents;

import dev.tern.sdk.Budget;
import dev.tern.sdk.BudgetExceededException;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.WorkflowContext;

/**
 * The check made before every model call: a run that has spent its budget makes no call. It fails with
 * {@code BudgetExceeded}, or, when the budget says {@code ask}, asks a human, and goes on with the raised budget if
 * they approve. Spend and budget are replayed values, so the check decides the same way on replay.
 */
public final class BudgetGate {
    /** A human's answer to "this run spent its budget: may it spend more?". */
    public record Approval(
            boolean approved,
            @Nullable Double additionalUsd,
            @Nullable Long additionalTokens) {}

    private BudgetGate() {}

    /** Returns when another model call may be made; throws {@link BudgetExceededException} when not. */
    public static void check(WorkflowContext ctx) {
        while (true) {
            Budget budget = ctx.budget();
            if (!budget.isSpentBy(ctx.spent())) return;
            if (budget.onExceeded() != Budget.OnExceeded.ASK) throw new BudgetExceededException(ctx.spent(), budget);
            String prompt = "This run has " + BudgetExceededException.describe(ctx.spent(), budget)
                    + ". Approve more to let it continue (additionalUsd, additionalTokens), or refuse to end it.";
            Approval answer = ctx.askHuman(prompt, Approval.class);
            double usd = answer.additionalUsd() == null ? 0 : answer.additionalUsd();
            long tokens = answer.additionalTokens() == null ? 0 : answer.additionalTokens();
            if (!answer.approved() || (usd <= 0 && tokens <= 0) || usd < 0 || tokens < 0) {
                throw new BudgetExceededException(ctx.spent(), budget);
            }
            ctx.raiseBudget(usd, tokens);
        }
    }
}
