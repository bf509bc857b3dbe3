package dev.tern.server.cli;

import static dev.tern.server.cli.RunsCommand.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.TernJson;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tern schedules list|create|get|pause|resume|delete}: schedules that start workflow runs on a cron expression
 * or interval.
 */
@Command(
        name = "schedules",
        mixinStandardHelpOptions = true,
        description = "Create, list, pause, resume and delete schedules.")
final class SchedulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a subcommand is required: list, create, get, pause, resume or delete");
    }

    /** When a new schedule fires: exactly one of a cron expression and an interval. */
    static final class When {
        @Option(
                names = "--cron",
                paramLabel = "EXPR",
                required = true,
                description = "UNIX cron expression, 5 fields, e.g. \"*/5 * * * *\".")
        String cron;

        @Option(
                names = "--every",
                paramLabel = "SECONDS",
                required = true,
                description = "Fire every this many seconds.")
        Long everySeconds;
    }

    @Command(name = "list", description = "List schedules, oldest first.")
    int list(@Mixin ClientOptions client) {
        JsonNode page = client.client().get("/v1/schedules");
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%-28s %-14s %-20s %-7s %-26s %s%n",
                "SCHEDULE ID", "WORKFLOW", "WHEN", "STATE", "NEXT FIRE", "LAST RUN");
        for (JsonNode s : page.get("schedules")) {
            String when = s.has("cron")
                    ? s.get("cron").asText()
                            + (s.get("timezone").asText().equals("UTC")
                                    ? ""
                                    : " " + s.get("timezone").asText())
                    : "every " + s.get("intervalSeconds").asLong() + "s";
            out.printf(
                    "%-28s %-14s %-20s %-7s %-26s %s%n",
                    s.get("scheduleId").asText(),
                    s.get("workflow").asText(),
                    when,
                    s.get("paused").asBoolean() ? "paused" : "active",
                    s.get("nextFireAt").asText(),
                    s.path("lastRunId").asText("-"));
        }
        return 0;
    }

    @Command(name = "create", description = "Create a schedule that starts WORKFLOW with the given input.")
    int create(
            @Mixin ClientOptions client,
            @Parameters(paramLabel = "WORKFLOW", description = "Workflow name.") String workflow,
            @ArgGroup(exclusive = true, multiplicity = "1") When when,
            @Option(
                            names = "--input",
                            paramLabel = "JSON",
                            description = "Input of every run, as a JSON object (default: {}).")
                    String input,
            @Option(
                            names = "--timezone",
                            paramLabel = "ZONE",
                            description = "IANA time zone of the cron expression (default: UTC).")
                    String timezone,
            @Option(names = "--id", paramLabel = "SCHEDULE_ID", description = "Schedule id (default: generated).")
                    String id,
            @Option(names = "--paused", description = "Create it paused.") boolean paused) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (id != null) body.put("scheduleId", id);
        body.put("workflow", workflow);
        body.set("input", ClientOptions.jsonObject("--input", input));
        if (when.cron != null) body.put("cron", when.cron);
        if (when.everySeconds != null) body.put("intervalSeconds", when.everySeconds);
        if (timezone != null) body.put("timezone", timezone);
        if (paused) body.put("paused", true);
        print(client.client().post("/v1/schedules", body));
        return 0;
    }

    @Command(name = "get", description = "Show a schedule as JSON.")
    int get(@Mixin ClientOptions client, @Parameters(paramLabel = "SCHEDULE_ID") String id) {
        print(client.client().get("/v1/schedules/" + encode(id)));
        return 0;
    }

    @Command(name = "pause", description = "Stop a schedule firing until resumed.")
    int pause(@Mixin ClientOptions client, @Parameters(paramLabel = "SCHEDULE_ID") String id) {
        print(client.client().post("/v1/schedules/" + encode(id) + "/pause", null));
        return 0;
    }

    @Command(name = "resume", description = "Resume a paused schedule from its next fire after now.")
    int resume(@Mixin ClientOptions client, @Parameters(paramLabel = "SCHEDULE_ID") String id) {
        print(client.client().post("/v1/schedules/" + encode(id) + "/resume", null));
        return 0;
    }

    @Command(name = "delete", description = "Delete a schedule; the runs it started are kept.")
    int delete(@Mixin ClientOptions client, @Parameters(paramLabel = "SCHEDULE_ID") String id) {
        client.client().delete("/v1/schedules/" + encode(id));
        spec.commandLine().getOut().println("deleted schedule " + id);
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
}
