package dev.tern.engine;

/** No interaction with this id belongs to the run. */
public final class InteractionNotFoundException extends TernException {
    private static final long serialVersionUID = 1L;

    public InteractionNotFoundException(String runId, String interactionId) {
        super("run '" + runId + "' has no interaction '" + interactionId + "'");
    }
}
