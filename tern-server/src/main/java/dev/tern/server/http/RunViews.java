package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.TernJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shapes of a run: Restack's record (statuses folded into its four-value enum) and the native views with the
 * full status, steps, attempts and history.
 */
final class RunViews {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunViews() {}

    /** Restack's status enum has no {@code awaiting-human} or {@code cancelled}: report them as running / failed. */
    static String restackStatus(RunStatus status) {
        return switch (status) {
            case AWAITING_HUMAN -> "running";
            case CANCELLED -> "failed";
            default -> status.wireName();
        };
    }

    static ObjectNode restackRun(RunRecord run) {
        ObjectNode node = NODES.objectNode();
        node.put("runId", run.id());
        node.put(run.kind() == RunKind.AGENT ? "agentName" : "workflowName", run.name());
        node.put("status", restackStatus(run.status()));
        if (run.input() != null && run.input().isObject()) node.set("input", run.input());
        if (run.status() == RunStatus.COMPLETED
                && run.output() != null
                && !run.output().isNull()) {
            node.set(
                    "output",
                    run.output().isObject() ? run.output() : NODES.objectNode().set("value", run.output()));
        }
        if (run.status() == RunStatus.CANCELLED) {
            node.put(
                    "error",
                    "cancelled: "
                            + (run.error() == null
                                    ? "the run was cancelled"
                                    : run.error().message()));
        } else if (run.error() != null) {
            node.put("error", run.error().summary());
        }
        putTime(node, "createdAt", run.createdAt());
        if (run.status().isTerminal()) putTime(node, "completedAt", run.completedAt());
        return node;
    }

    static ObjectNode scheduled(RunRecord run) {
        return NODES.objectNode().put("runId", run.id()).put("status", restackStatus(run.status()));
    }

    static ObjectNode summary(RunRecord run) {
        ObjectNode node = NODES.objectNode();
        node.put("runId", run.id());
        node.put("kind", run.kind().wireName());
        node.put("name", run.name());
        node.put("status", run.status().wireName());
        node.set("input", run.input());
        if (run.output() != null) node.set("output", run.output());
        if (run.error() != null) node.set("error", error(run.error()));
        putTime(node, "createdAt", run.createdAt());
        putTime(node, "startedAt", run.startedAt());
        putTime(node, "completedAt", run.completedAt());
        putTime(node, "updatedAt", run.updatedAt());
        node.put("attempt", run.attempt());
        node.put("eventSequence", run.lastEventSeq());
        if (run.suspension() != null) {
            ObjectNode waiting = node.putObject("waiting");
            waiting.put("suspended", true);
            putTime(waiting, "wakeAt", run.suspension().wakeAt());
        }
        if (run.cancelRequested() && !run.status().isTerminal()) node.put("cancelRequested", true);
        putTime(node, "deadlineAt", run.deadlineAt());
        if (run.idempotencyKey() != null) node.put("idempotencyKey", run.idempotencyKey());
        if (run.webhookUrl() != null) node.put("webhookUrl", run.webhookUrl());
        var links = run.links();
        if (links.threadId() != null) node.put("threadId", links.threadId());
        if (links.parentId() != null) node.put("parentRunId", links.parentId());
        if (links.continuedFrom() != null) node.put("continuedFrom", links.continuedFrom());
        if (links.forkedFrom() != null)
            node.putObject("forkedFrom")
                    .put("runId", links.forkedFrom().runId())
                    .put("step", links.forkedFrom().step());
        if (links.agentId() != null && !links.agentId().equals(run.id())) node.put("agentId", links.agentId());
        var wait = run.waiting();
        if (wait.blockingInteractionId() != null) node.put("blockingInteractionId", wait.blockingInteractionId());
        if (wait.waitingOn() != null) node.put("blockedReason", blockedReason(wait));
        putTime(node, "waitingSince", wait.waitingSince());
        if (run.release().revision() != null) node.put("revision", run.release().revision());
        if (run.release().channel() != null)
            node.put("releaseChannel", run.release().channel());
        return node;
    }

    /**
     * {@code node} (a view of {@code run}) saying {@code blockedReason: revision_unavailable} when the run waits for a
     * node with its revision loaded (see {@link dev.tern.engine.Releases#unavailable}): that, not the event or timer it
     * may also wait for, is what keeps it from going on.
     */
    static ObjectNode revisionBlock(dev.tern.engine.TernEngine engine, RunRecord run, ObjectNode node) {
        if (engine.releases().unavailable(run)) node.put("blockedReason", REVISION_UNAVAILABLE);
        return node;
    }

    static final String REVISION_UNAVAILABLE = "revision_unavailable";

    /** Why a run is blocked, in the run resource's words. */
    static String blockedReason(dev.tern.engine.RunWait wait) {
        return wait.onHuman() ? "awaiting_human_input" : wait.onLimit() ? "rate_limited" : "dependency";
    }

    static ObjectNode full(
            RunRecord run,
            List<StepRecord> steps,
            List<AttemptRecord> attempts,
            List<dev.tern.engine.InteractionRecord> interactions) {
        ObjectNode node = summary(run);
        if (run.release().executionProfile() != null)
            node.set("executionProfile", run.release().executionProfile());
        if (run.release().runPolicy() != null)
            node.set("runPolicy", run.release().runPolicy());
        node.put(
                "openInteractionCount",
                interactions.stream()
                        .filter(dev.tern.engine.InteractionRecord::isOpen)
                        .count());
        RunMetrics metrics = RunMetrics.of(steps);
        node.set("metrics", metrics.toJson());
        putBudget(node, run, steps, metrics);
        ArrayNode stepNodes = node.putArray("steps");
        for (StepRecord s : steps) stepNodes.add(step(s));
        ArrayNode attemptNodes = node.putArray("attempts");
        for (AttemptRecord a : attempts) {
            ObjectNode n = attemptNodes.addObject();
            n.put("attempt", a.attempt());
            n.put("nodeId", a.nodeId());
            if (!a.resumes().isEmpty()) {
                ArrayNode resumes = n.putArray("resumes");
                for (AttemptRecord.Resume r : a.resumes())
                    putTime(resumes.addObject().put("nodeId", r.nodeId()), "at", r.at());
            }
            putTime(n, "startedAt", a.startedAt());
            putTime(n, "lastKeepAliveAt", a.lastKeepAliveAt());
            putTime(n, "endedAt", a.endedAt());
            if (a.outcome() != null) n.put("outcome", a.outcome());
        }
        return node;
    }

    /**
     * The run's budget for model calls as it stands (scheduled, else the definition's, raised by every approved raise
     * so far) beside what it spent; nothing when the run has no cap.
     */
    static void putBudget(ObjectNode node, RunRecord run, List<StepRecord> steps, RunMetrics spent) {
        dev.tern.sdk.Budget budget = run.budget();
        for (StepRecord s : steps) {
            if (s.kind() == dev.tern.engine.StepKind.BUDGET && s.output() != null) {
                budget = TernJson.convert(s.output(), dev.tern.sdk.Budget.class);
            }
        }
        if (budget == null || !budget.isCapped()) return;
        ObjectNode b = node.putObject("budget");
        if (budget.maxCostUsd() != null) b.put("maxCostUsd", budget.maxCostUsd());
        if (budget.maxTokens() != null) b.put("maxTokens", budget.maxTokens());
        b.put("onExceeded", budget.onExceeded().wireName());
        b.put("spentUsd", spent.costUsd());
        b.put("spentTokens", spent.inputTokens() + spent.outputTokens());
        b.put(
                "exhausted",
                budget.isSpentBy(new dev.tern.sdk.Usage(spent.inputTokens(), spent.outputTokens(), spent.costUsd())));
    }

    static ObjectNode step(StepRecord s) {
        ObjectNode n = NODES.objectNode();
        n.put("seq", s.seq());
        n.put("name", s.name());
        n.put("kind", s.kind().wireName());
        n.put("type", s.effectiveType());
        if (s.usage() != null) {
            n.putObject("usage")
                    .put("inputTokens", s.usage().inputTokens())
                    .put("outputTokens", s.usage().outputTokens())
                    .put("costUsd", s.usage().costUsd());
        }
        n.put("status", s.status().wireName());
        if (s.input() != null) n.set("input", s.input());
        if (s.output() != null) n.set("output", s.output());
        if (s.error() != null) n.set("error", error(s.error()));
        n.put("attempts", s.attempts());
        putTime(n, "startedAt", s.startedAt());
        putTime(n, "completedAt", s.completedAt());
        if (s.completedAt() != null)
            n.put("durationMs", Duration.between(s.startedAt(), s.completedAt()).toMillis());
        n.put("runAttempt", s.runAttempt());
        return n;
    }

    static ObjectNode event(HistoryEvent e) {
        ObjectNode n = NODES.objectNode();
        n.put("eventSequence", e.eventSequence());
        n.put("type", e.type().wireName());
        putTime(n, "at", e.at());
        if (e.attempt() != null) n.put("attempt", e.attempt());
        if (e.stepSeq() != null) n.put("stepSeq", e.stepSeq());
        if (e.data() != null) n.set("data", e.data());
        return n;
    }

    static JsonNode error(ErrorInfo error) {
        ObjectNode n = NODES.objectNode().put("type", error.type()).put("message", error.message());
        if (error.step() != null) n.put("step", error.step());
        if (error.errorId() != null) n.put("errorId", error.errorId());
        return n;
    }

    /** Puts the instant as RFC 3339 text, or nothing when it is null. */
    static void putTime(ObjectNode node, String field, Instant value) {
        if (value != null) node.put(field, value.toString());
    }
}
