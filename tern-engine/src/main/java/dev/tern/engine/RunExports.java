package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.exec.HistoryReplay;
import dev.tern.engine.internal.exec.RunStart;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.sdk.Budget;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.Usage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's export: read from the store, written as the {@value RunExport#FORMAT} document and read back (this class is
 * the document's only writer and reader), and replayed.
 */
final class RunExports {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RunExports() {}

    /** The run's export as it stands: its steps, then its history, then its inbox (each read once). */
    static RunExport of(RunStore store, RunRecord run) {
        List<StepRecord> steps = store.steps(run.id());
        List<HistoryEvent> history = store.history(run.id(), 0, Integer.MAX_VALUE);
        List<RunExport.InboxEntry> inbox = store.inbox(run.id(), 0).stream()
                .map(e -> new RunExport.InboxEntry(e.inboxSeq(), e.name(), e.payload(), e.at()))
                .toList();
        return new RunExport(run, run.release().revision(), steps, history, inbox);
    }

    static ReplayResult replay(RunExport export, RunnableDefinition definition) {
        RunRecord run = export.run();
        RunKind kind = RunKind.of(definition.kind());
        if (!definition.name().equals(run.name()) || kind != run.kind()) {
            throw new IllegalArgumentException(
                    "run " + run.id() + " is a run of the " + run.kind().wireName() + " '"
                            + run.name() + "'; it cannot be replayed against the " + kind.wireName() + " '"
                            + definition.name() + "'");
        }
        RunLinks links = run.links();
        RunStart start = new RunStart(
                run.kind().wireName(),
                run.name(),
                run.input(),
                run.deadlineAt(),
                links.continuedFrom() != null,
                false,
                run.budget(),
                null,
                links.threadId() != null ? links.threadId() : run.id(),
                null,
                export.definitionVersion(),
                null);
        HistoryReplay.Outcome outcome =
                HistoryReplay.replay(definition, run.id(), Math.max(1, run.attempt()), start, export.steps());
        HistoryReplay.Parting p = outcome.parting();
        ReplayResult.Divergence divergence = p == null
                ? null
                : new ReplayResult.Divergence(
                        p.step(),
                        p.recorded().name(),
                        p.recorded().kind(),
                        p.requestedName(),
                        p.requestedKind(),
                        p.codeEnding());
        return new ReplayResult(export.steps().size(), outcome.replayed(), divergence);
    }

    // ------------------------------------------------------------------------------------------ writing

    static ObjectNode write(RunExport export) {
        RunRecord run = export.run();
        ObjectNode doc = NODES.objectNode().put("format", RunExport.FORMAT).put("version", RunExport.VERSION);
        ObjectNode definition =
                doc.putObject("definition").put("kind", run.kind().wireName()).put("name", run.name());
        if (export.definitionVersion() != null) definition.put("version", export.definitionVersion());
        ObjectNode r = doc.putObject("run")
                .put("runId", run.id())
                .put("status", run.status().wireName());
        r.set("input", run.input());
        if (run.output() != null) r.set("output", run.output());
        if (run.error() != null) r.set("error", error(run.error()));
        putTime(r, "createdAt", run.createdAt());
        putTime(r, "startedAt", run.startedAt());
        putTime(r, "completedAt", run.completedAt());
        putTime(r, "updatedAt", run.updatedAt());
        r.put("attempt", run.attempt()).put("eventSequence", run.lastEventSeq());
        r.put("cancelRequested", run.cancelRequested());
        putTime(r, "deadlineAt", run.deadlineAt());
        if (run.idempotencyKey() != null) r.put("idempotencyKey", run.idempotencyKey());
        if (run.webhookUrl() != null) r.put("webhookUrl", run.webhookUrl());
        if (run.budget() != null) r.set("budget", budget(run.budget()));
        doc.set("links", links(run.links()));
        ArrayNode steps = doc.putArray("steps");
        export.steps().forEach(s -> steps.add(step(s)));
        ArrayNode history = doc.putArray("history");
        for (HistoryEvent e : export.history()) {
            ObjectNode n = history.addObject().put("eventSequence", e.eventSequence());
            n.put("type", e.type().wireName());
            putTime(n, "at", e.at());
            if (e.attempt() != null) n.put("attempt", e.attempt());
            if (e.stepSeq() != null) n.put("stepSeq", e.stepSeq());
            if (e.data() != null) n.set("data", e.data());
        }
        ArrayNode inbox = doc.putArray("inbox");
        for (RunExport.InboxEntry e : export.inbox()) {
            ObjectNode n =
                    inbox.addObject().put("inboxSequence", e.inboxSequence()).put("name", e.name());
            n.set("payload", e.payload());
            putTime(n, "at", e.at());
        }
        return doc;
    }

    private static ObjectNode step(StepRecord s) {
        ObjectNode n = NODES.objectNode().put("runId", s.runId()).put("seq", s.seq());
        n.put("name", s.name())
                .put("kind", s.kind().wireName())
                .put("status", s.status().wireName());
        if (s.type() != null) n.put("type", s.type());
        if (s.input() != null) n.set("input", s.input());
        if (s.output() != null) n.set("output", s.output());
        if (s.error() != null) n.set("error", error(s.error()));
        n.put("attempts", s.attempts());
        putTime(n, "startedAt", s.startedAt());
        putTime(n, "completedAt", s.completedAt());
        n.put("runAttempt", s.runAttempt());
        if (s.usage() != null) {
            n.putObject("usage")
                    .put("inputTokens", s.usage().inputTokens())
                    .put("outputTokens", s.usage().outputTokens())
                    .put("costUsd", s.usage().costUsd());
        }
        return n;
    }

    private static ObjectNode links(RunLinks links) {
        ObjectNode n = NODES.objectNode();
        if (links.parentId() != null) n.put("parentRunId", links.parentId());
        if (links.threadId() != null) n.put("threadId", links.threadId());
        if (links.continuedFrom() != null) n.put("continuedFrom", links.continuedFrom());
        if (links.agentId() != null) n.put("agentId", links.agentId());
        if (links.traceParent() != null) n.put("traceParent", links.traceParent());
        if (links.forkedFrom() != null) {
            n.putObject("forkedFrom")
                    .put("runId", links.forkedFrom().runId())
                    .put("step", links.forkedFrom().step());
        }
        return n;
    }

    private static ObjectNode error(ErrorInfo error) {
        ObjectNode n = NODES.objectNode().put("type", error.type()).put("message", error.message());
        if (error.step() != null) n.put("step", error.step());
        if (error.errorId() != null) n.put("errorId", error.errorId());
        return n;
    }

    private static ObjectNode budget(Budget budget) {
        ObjectNode n = NODES.objectNode();
        if (budget.maxCostUsd() != null) n.put("maxCostUsd", budget.maxCostUsd());
        if (budget.maxTokens() != null) n.put("maxTokens", budget.maxTokens());
        return n.put("onExceeded", budget.onExceeded().wireName());
    }

    private static void putTime(ObjectNode node, String field, Instant value) {
        if (value != null) node.put(field, value.toString());
    }

    // ------------------------------------------------------------------------------------------ reading

    static RunExport read(JsonNode doc) {
        if (doc == null || !doc.isObject()) throw invalid("$", "must be a JSON object (a run export)");
        if (!RunExport.FORMAT.equals(doc.path("format").asText(null)))
            throw invalid("$.format", "must be '" + RunExport.FORMAT + "': this is not a Tern run export");
        JsonNode version = doc.get("version");
        if (version == null || !version.canConvertToInt() || version.asInt() < 1)
            throw invalid("$.version", "must be a version number (1 or more)");
        if (version.asInt() > RunExport.VERSION)
            throw invalid(
                    "$.version",
                    "is " + version.asInt() + ", newer than this Tern reads (up to " + RunExport.VERSION + ")");
        JsonNode definition = object(doc, "definition", "$");
        JsonNode r = object(doc, "run", "$");
        String id = text(r, "runId", "$.run");
        RunKind kind = RunKind.fromWire(text(definition, "kind", "$.definition"))
                .orElseThrow(() -> invalid("$.definition.kind", "must be agent, workflow, tool or mcp_server"));
        RunStatus status = RunStatus.fromWire(text(r, "status", "$.run"))
                .orElseThrow(() -> invalid("$.run.status", "must be a run status"));
        JsonNode budget = r.get("budget");
        RunRecord run = RunRecord.builder(id, kind, text(definition, "name", "$.definition"), status)
                .input(r.get("input"))
                .output(r.get("output"))
                .error(r.hasNonNull("error") ? error(r.get("error"), "$.run.error") : null)
                .createdAt(time(r, "createdAt", "$.run"))
                .startedAt(time(r, "startedAt", "$.run"))
                .completedAt(time(r, "completedAt", "$.run"))
                .updatedAt(time(r, "updatedAt", "$.run"))
                .attempt(r.path("attempt").asInt(0))
                .lastEventSeq(r.path("eventSequence").asLong(0))
                .cancelRequested(r.path("cancelRequested").asBoolean(false))
                .deadlineAt(time(r, "deadlineAt", "$.run"))
                .idempotencyKey(r.path("idempotencyKey").asText(null))
                .webhookUrl(r.path("webhookUrl").asText(null))
                .budget(budget == null || budget.isNull() ? null : budget(budget))
                .links(links(doc.path("links")))
                .build();
        List<StepRecord> steps = new ArrayList<>();
        int i = 0;
        for (JsonNode s : array(doc, "steps")) steps.add(step(s, id, "$.steps[" + i++ + "]"));
        List<HistoryEvent> history = new ArrayList<>();
        i = 0;
        for (JsonNode e : array(doc, "history")) {
            String at = "$.history[" + i++ + "]";
            history.add(new HistoryEvent(
                    id,
                    number(e, "eventSequence", at),
                    enumValue(e, "type", at, HistoryEventType::fromWire),
                    time(e, "at", at),
                    e.hasNonNull("attempt") ? e.get("attempt").asInt() : null,
                    e.hasNonNull("stepSeq") ? e.get("stepSeq").asInt() : null,
                    e.get("data")));
        }
        List<RunExport.InboxEntry> inbox = new ArrayList<>();
        i = 0;
        for (JsonNode e : array(doc, "inbox")) {
            String at = "$.inbox[" + i++ + "]";
            inbox.add(new RunExport.InboxEntry(
                    number(e, "inboxSequence", at), text(e, "name", at), e.get("payload"), time(e, "at", at)));
        }
        return new RunExport(run, definition.path("version").asText(null), steps, history, inbox);
    }

    private static StepRecord step(JsonNode s, String runId, String at) {
        JsonNode usage = s.get("usage");
        return new StepRecord(
                s.path("runId").asText(runId),
                (int) number(s, "seq", at),
                text(s, "name", at),
                enumValue(s, "kind", at, StepKind::fromWire),
                StepStatus.fromWire(text(s, "status", at))
                        .orElseThrow(() -> invalid(at + ".status", "must be completed, failed or waiting")),
                s.get("input"),
                s.get("output"),
                s.hasNonNull("error") ? error(s.get("error"), at + ".error") : null,
                s.path("attempts").asInt(1),
                time(s, "startedAt", at),
                time(s, "completedAt", at),
                s.path("runAttempt").asInt(1),
                s.path("type").asText(null),
                usage == null || usage.isNull()
                        ? null
                        : new Usage(
                                usage.path("inputTokens").asLong(),
                                usage.path("outputTokens").asLong(),
                                usage.path("costUsd").asDouble()));
    }

    private static RunLinks links(JsonNode n) {
        JsonNode forked = n.get("forkedFrom");
        return new RunLinks(
                n.path("parentRunId").asText(null),
                n.path("threadId").asText(null),
                n.path("continuedFrom").asText(null),
                n.path("agentId").asText(null),
                n.path("traceParent").asText(null),
                forked == null || forked.isNull()
                        ? null
                        : new ForkedFrom(
                                text(forked, "runId", "$.links.forkedFrom"),
                                forked.path("step").asInt()));
    }

    private static ErrorInfo error(JsonNode n, String at) {
        return new ErrorInfo(
                text(n, "type", at),
                n.path("message").asText(""),
                n.path("step").asText(null),
                n.path("errorId").asText(null));
    }

    private static Budget budget(JsonNode n) {
        try {
            return new Budget(
                    n.hasNonNull("maxCostUsd") ? n.get("maxCostUsd").asDouble() : null,
                    n.hasNonNull("maxTokens") ? n.get("maxTokens").asLong() : null,
                    n.hasNonNull("onExceeded")
                            ? Budget.OnExceeded.parse(n.get("onExceeded").asText())
                            : null);
        } catch (IllegalArgumentException e) {
            throw invalid("$.run.budget", e.getMessage());
        }
    }

    private static JsonNode object(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) throw invalid(at + "." + field, "must be an object");
        return v;
    }

    private static Iterable<JsonNode> array(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw invalid("$." + field, "must be an array");
        return v;
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw invalid(at + "." + field, "must be a string");
        return v.asText();
    }

    private static long number(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) throw invalid(at + "." + field, "must be an integer");
        return v.asLong();
    }

    private static Instant time(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw invalid(at + "." + field, "must be an RFC 3339 time, was '" + v.asText() + "'");
        }
    }

    private static <E> E enumValue(JsonNode n, String field, String at, java.util.function.Function<String, E> parse) {
        String value = text(n, field, at);
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(at + "." + field, "is not a known value: '" + value + "'");
        }
    }

    private static IllegalArgumentException invalid(String field, String why) {
        return new IllegalArgumentException("not a readable run export: " + field + " " + why);
    }
}
