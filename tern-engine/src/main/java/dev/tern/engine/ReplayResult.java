package dev.tern.engine;

/**
 * What replaying a recorded run against today's code found ({@link RunExport#replay}).
 *
 * @param recordedSteps how many steps the history holds
 * @param replayedSteps how many of them the code asked for, at their positions, before the code or the history ended
 *     (or they parted)
 * @param divergence where the code and the history part, or {@code null} when the code makes the recorded steps in
 *     their order
 */
public record ReplayResult(int recordedSteps, int replayedSteps, Divergence divergence) {

    /** Whether the code makes the recorded steps in their order (up to where the history ends). */
    public boolean matches() {
        return divergence == null;
    }

    /**
     * The first position where the code does not ask for the step the history recorded.
     *
     * @param step the position (the step's {@code seq})
     * @param recordedName the name of the step the history holds there
     * @param recordedKind its kind
     * @param requestedName the name of the step the code asked for there, or {@code null} when the code ended first
     * @param requestedKind its kind, or {@code null} when the code ended first
     * @param codeEnding when the code ended first, how: {@code returned}, or {@code failed with} its error
     */
    public record Divergence(
            int step,
            String recordedName,
            StepKind recordedKind,
            String requestedName,
            StepKind requestedKind,
            String codeEnding) {

        /**
         * One line naming the position and both steps: {@code step 2: the history has 'charge' (function) but the code
         * asked for 'refund' (function)}.
         */
        public String describe() {
            String recorded =
                    "step " + step + ": the history has '" + recordedName + "' (" + recordedKind.wireName() + ")";
            if (requestedName == null) return recorded + " but the code asked for no step there: it " + codeEnding;
            return recorded + " but the code asked for '" + requestedName + "' (" + requestedKind.wireName() + ")";
        }
    }
}
