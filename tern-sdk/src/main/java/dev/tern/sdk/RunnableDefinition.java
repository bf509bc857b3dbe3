package dev.tern.sdk;

/** A definition a client can start a run of: a workflow or an agent. */
public sealed interface RunnableDefinition permits WorkflowDefinition, AgentDefinition {

    /** Whether runs of a definition are workflows or agents. */
    enum Kind {
        WORKFLOW,
        AGENT;

        private final String wire = name().toLowerCase(java.util.Locale.ROOT);

        public String wireName() {
            return wire;
        }
    }

    String name();

    Class<?> inputType();

    Class<?> outputType();

    Kind kind();

    /**
     * Where runs of this definition report their status changes unless scheduled with their own webhook URL; null for
     * none.
     */
    String webhookUrl();

    /** What each run may spend on model calls unless scheduled with a budget of its own. */
    Budget budget();

    /** Whether runs call a language model: scheduling one on a node with none configured is refused. */
    boolean requiresModel();

    /**
     * What the definition does, for people and for models choosing a tool (over MCP, say); null when none was given.
     */
    String description();

    /**
     * The revision of this code: the version given explicitly, else the first 12 hex digits of a SHA-256 over its kind,
     * name, input and output types (and an agent's event names). A run is pinned to the revision it started on.
     */
    String revision();
}
