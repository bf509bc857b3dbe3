package dev.tern.engine;

/**
 * How a run relates to others: the parent that started it as a child, the conversation thread it belongs to, the run it
 * continues (continue-as-new), the agent id shared by every run of one long-lived agent, and the trace its spans join.
 *
 * @param traceParent the W3C {@code traceparent} of the span the run was scheduled under: every attempt's spans, on any
 *     node, after any crash or sleep, join that trace ({@code null} when tracing was off)
 * @param forkedFrom the run and step this run was forked from, or {@code null}
 */
public record RunLinks(
        String parentId,
        String threadId,
        String continuedFrom,
        String agentId,
        String traceParent,
        ForkedFrom forkedFrom) {
    public static final RunLinks NONE = new RunLinks(null, null, null, null, null, null);

    public RunLinks(String parentId, String threadId, String continuedFrom, String agentId) {
        this(parentId, threadId, continuedFrom, agentId, null, null);
    }

    public RunLinks(String parentId, String threadId, String continuedFrom, String agentId, String traceParent) {
        this(parentId, threadId, continuedFrom, agentId, traceParent, null);
    }

    /** The same links, joining the trace {@code value}. */
    public RunLinks withTraceParent(String value) {
        return new RunLinks(parentId, threadId, continuedFrom, agentId, value, forkedFrom);
    }

    /** The same links, forked from {@code value}. */
    public RunLinks withForkedFrom(ForkedFrom value) {
        return new RunLinks(parentId, threadId, continuedFrom, agentId, traceParent, value);
    }

    /** The 32 hex digits of the trace this run joins, or {@code null}. */
    public String traceId() {
        return traceParent == null || traceParent.length() < 35 ? null : traceParent.substring(3, 35);
    }
}
