package dev.tern.engine.internal.exec;

import dev.tern.sdk.Budget;
import dev.tern.sdk.Usage;

/**
 * What one execution of a run may spend and has spent on model calls: the budget (raised by recorded raises) and the
 * usage of the steps taken so far, replayed ones in sequence order and live ones as they complete, so a budget check
 * decides the same way on replay.
 */
final class RunSpend {
    private Budget budget;
    private Usage spent = Usage.NONE;

    RunSpend(Budget budget) {
        this.budget = budget;
    }

    synchronized Budget budget() {
        return budget;
    }

    synchronized Usage spent() {
        return spent;
    }

    /** Counts what a step reported spending (nothing if it reported nothing). */
    synchronized void add(Usage usage) {
        if (usage != null) spent = spent.plus(usage);
    }

    /** The budget is now {@code raised} (the recorded outcome of a raise). */
    synchronized void raisedTo(Budget raised) {
        budget = raised;
    }

    /** Throws unless a budget may be raised by these amounts: finite and not negative. */
    static void requireRaise(double additionalUsd, long additionalTokens) {
        if (additionalUsd < 0
                || additionalTokens < 0
                || Double.isNaN(additionalUsd)
                || Double.isInfinite(additionalUsd))
            throw new IllegalArgumentException("a budget is raised by finite amounts >= 0");
    }
}
