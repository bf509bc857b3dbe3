package dev.tern.engine;

/**
 * How a run relates to others: the parent that started it as a child, the conversation thread it belongs to, the run it
 * continues (continue-as-new), and the agent id shared by every run of one long-lived agent.
 */
public record RunLinks(String parentId, String threadId, String continuedFrom, String agentId) {
    public static final RunLinks NONE = new RunLinks(null, null, null, null);
}
