package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunRequest;
import dev.tern.sdk.RunnableDefinition.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads the body of {@code POST /v1/runs} (and each run of {@code POST /v1/runs:batch}) into the run to schedule:
 * {@code resourceType} (optional) picks what runs, an agent or a workflow by {@code name}, a {@code tool} (a registered
 * function) or an {@code mcp_server} call ({@link CallRuns}); the options are read next to {@code input}.
 */
final class RunRequestBody {
    /** The fields of an agent or workflow run. */
    private static final List<String> SCHEDULE_FIELDS = RunOptionsBody.fieldsWith("name", "input", "resourceType");

    private static final List<String> KINDS =
            Arrays.stream(RunKind.values()).map(RunKind::wireName).toList();
    private final CallRuns calls;

    RunRequestBody(CallRuns calls) {
        this.calls = calls;
    }

    /** The run {@code body} asks for, with the options {@code options} reads from it; a bad field is a 4xx. */
    RunRequest read(ObjectNode body, Supplier<RunOptions> options) {
        String type = Bodies.optionalText(body, "resourceType");
        if (type != null && !KINDS.contains(type))
            throw ApiException.badRequest("$.resourceType", "must be one of " + KINDS + ", was '" + type + "'");
        if ("tool".equals(type)) return calls.tool(body, options.get());
        if ("mcp_server".equals(type)) return calls.mcp(body, options.get());
        Bodies.requireKnownFields(body, SCHEDULE_FIELDS);
        String name = Bodies.requiredText(body, "name");
        Kind kind = type == null ? null : Kind.valueOf(type.toUpperCase(Locale.ROOT));
        return RunRequest.of(kind, name, Bodies.objectField(body, "input"), options.get());
    }
}
