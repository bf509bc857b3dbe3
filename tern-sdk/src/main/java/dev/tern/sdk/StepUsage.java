package dev.tern.sdk;

/**
 * Lets step code report what it spent: call {@link #report} from inside a step body (any thread the step started, too)
 * and the usage is recorded with the step's checkpoint. Outside a step it does nothing. A shorthand for
 * {@link StepScope#reportUsage}.
 */
public final class StepUsage {
    private StepUsage() {}

    public static void report(long inputTokens, long outputTokens, double costUsd) {
        report(new Usage(inputTokens, outputTokens, costUsd));
    }

    public static void report(Usage usage) {
        StepScope scope = StepScope.current();
        if (scope != null) scope.reportUsage(usage);
    }
}
