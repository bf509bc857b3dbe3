package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tern.engine.TernJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tern runs list|get|cancel|fork|interactions|events|compare}. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List, inspect and cancel runs.")
final class RunsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a subcommand is required: list, get, cancel, fork, interactions, events or compare");
    }

    @Command(name = "list", description = "List runs, newest first.")
    int list(
            @Mixin ClientOptions client,
            @Option(names = "--name", description = "Only runs of this agent or workflow.") String name,
            @Option(names = "--status", description = "Only runs with this status.") String status,
            @Option(names = "--kind", description = "agent or workflow.") String kind,
            @Option(names = "--revision", description = "Only runs pinned to this revision of their definition.")
                    String revision,
            @Option(
                            names = "--limit",
                            defaultValue = "20",
                            description = "At most this many (default: ${DEFAULT-VALUE}).")
                    int limit) {
        List<String> params = new ArrayList<>();
        add(params, "name", name);
        add(params, "status", status);
        add(params, "kind", kind);
        add(params, "revision", revision);
        add(params, "limit", String.valueOf(limit));
        JsonNode page = client.client().get("/v1/runs?" + String.join("&", params));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-27s %-8s %-12s %-10s %-24s %s%n", "RUN ID", "KIND", "NAME", "STATUS", "CREATED", "REVISION");
        for (JsonNode r : page.get("runs")) {
            String blocked = r.path("blockedReason").asText("");
            out.printf(
                    "%-27s %-8s %-12s %-10s %-24s %s%n",
                    r.get("runId").asText(),
                    r.get("kind").asText(),
                    r.get("name").asText(),
                    r.get("status").asText(),
                    r.get("createdAt").asText(),
                    r.path("revision").asText("-") + (blocked.equals("revision_unavailable") ? " (unavailable)" : ""));
        }
        return 0;
    }

    @Command(name = "get", description = "Show a run with its steps and attempts, as JSON.")
    int get(@Mixin ClientOptions client, @Parameters(paramLabel = "RUN_ID") String runId) {
        print(client.client().get("/v1/runs/" + encode(runId)));
        return 0;
    }

    @Command(name = "cancel", description = "Cancel a queued, running or waiting run.")
    int cancel(@Mixin ClientOptions client, @Parameters(paramLabel = "RUN_ID") String runId) {
        print(client.client().post("/v1/runs/" + encode(runId) + "/cancel", null));
        return 0;
    }

    @Command(
            name = "fork",
            description = "Fork a run from a step: a new run takes the original's results for the steps before it "
                    + "and executes from it on.")
    int fork(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "RUN_ID") String runId,
            @Option(
                            names = "--from",
                            required = true,
                            paramLabel = "STEP",
                            description = "The step to execute from (0 = all again; see `tern runs get`).")
                    int fromStep,
            @Option(names = "--input", paramLabel = "JSON", description = "A new input as a JSON object.") String input,
            @Option(names = "--model", paramLabel = "NAME", description = "Another model for the model calls.")
                    String model) {
        if (fromStep < 0) throw CliException.badArgument("--from must be 0 or more, was " + fromStep);
        var body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("fromStep", fromStep);
        if (input != null) body.set("input", ClientOptions.jsonObject("--input", input));
        if (model != null) body.putObject("model").put("name", model);
        print(client.client().post("/v1/runs/" + encode(runId) + "/fork", body));
        return 0;
    }

    @Command(name = "interactions", description = "Show a run's questions to humans, open and answered, as JSON.")
    int interactions(@Mixin ClientOptions client, @Parameters(paramLabel = "RUN_ID") String runId) {
        JsonNode interactions = client.client().get("/v1/runs/" + encode(runId) + "/interactions");
        spec.commandLine().getOut().println(TernJson.write(interactions));
        return 0;
    }

    @Command(name = "events", description = "Show a run's history events.")
    int events(@Mixin ClientOptions client, @Parameters(paramLabel = "RUN_ID") String runId) {
        JsonNode history = client.client().get("/v1/runs/" + encode(runId) + "/history");
        PrintWriter out = spec.commandLine().getOut();
        for (JsonNode e : history.get("events")) {
            out.printf(
                    "%4d %s %-16s %s%n",
                    e.get("eventSequence").asLong(),
                    e.get("at").asText(),
                    e.get("type").asText(),
                    e.has("data") ? TernJson.write(e.get("data")) : "");
        }
        return 0;
    }

    @Command(
            name = "compare",
            description = "Compare two runs step by step (e.g. a fork with its original): what differs and where.")
    int compare(
            @Mixin ClientOptions client,
            @Parameters(index = "0", paramLabel = "RUN_A", description = "The first run (e.g. the original).") String a,
            @Parameters(index = "1", paramLabel = "RUN_B", description = "The second run (e.g. its fork).") String b,
            @Option(names = "--json", description = "Print the comparison as JSON instead of a table.") boolean json) {
        for (String id : List.of(a, b)) {
            if (!dev.tern.engine.RunIds.VALID.matcher(id).matches())
                throw CliException.badArgument("'" + id + "' is not a run id (run_ then letters and digits)");
        }
        JsonNode comparison = client.client().get("/v1/runs/" + encode(a) + "/compare/" + encode(b));
        if (json) print(comparison);
        else ComparisonTable.print(comparison, spec.commandLine().getOut());
        return 0;
    }

    private void print(JsonNode node) {
        try {
            String text =
                    TernJson.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
            spec.commandLine().getOut().println(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(1, e.getMessage());
        }
    }

    private static void add(List<String> params, String key, String value) {
        if (value != null) params.add(key + "=" + encode(value));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
