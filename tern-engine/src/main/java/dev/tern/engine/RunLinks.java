package dev.tern.engine;

/**
 * How a run relates to others: the parent that started it as a child, the conversation thread it belongs to, the run it
 * continues (continue-as-new), the agent id shared by every run of one long-lived agent, and the trace its spans join.
 *
 * @param traceParent the W3C {@code traceparent} of the span the run was scheduled under: every attempt's spans, on any
 *     node, after any crash or sleep, join that trace ({@code null} when tracing was off)
 */
public record RunLinks(String parentId, String threadId, String continuedFrom, String agentId, String traceParent) {
    public static final RunLinks NONE = new RunLinks(null, null, null, null, null);

    public RunLinks(String parentId, String threadId, String continuedFrom, String agentId) {
        this(parentId, threadId, continuedFrom, agentId, null);
    }

    /** The same links, joining the trace {@code value}. */
    public RunLinks withTraceParent(String value) {
        return new RunLinks(parentId, threadId, continuedFrom, agentId, value);
    }

    /** The 32 hex digits of the trace this run joins, or {@code null}. */
    public String traceId() {
        return traceParent == null || traceParent.length() < 35 ? null : traceParent.substring(3, 35);
    }
}
