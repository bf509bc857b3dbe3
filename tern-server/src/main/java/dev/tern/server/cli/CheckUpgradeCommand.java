package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunExport;
import dev.tern.engine.UpgradeCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tern check-upgrade}: before a deploy, replays a sample of the server's in-flight runs (their exports) against
 * the definitions about to be deployed and lists the runs they would break; exits 1 if any.
 */
@Command(
        name = "check-upgrade",
        mixinStandardHelpOptions = true,
        description = "Replay in-flight runs against the code about to be deployed; list the runs it would break.")
final class CheckUpgradeCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(
            names = "--definitions",
            required = true,
            paramLabel = "JAR_OR_DIR",
            description = "The new code: a jar or classes directory with a DefinitionsProvider; repeatable.")
    List<Path> definitions;

    @Option(
            names = "--limit",
            defaultValue = "100",
            description = "At most this many runs of each unfinished status (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 500) throw CliException.badArgument("--limit must be between 1 and 500, was " + limit);
        UpgradeCheck check = UpgradeCheck.against(DefinitionsLoader.load(definitions));
        ApiClient api = client.client();
        Set<String> ids = new LinkedHashSet<>();
        for (String status : List.of("queued", "running", "awaiting-human")) {
            JsonNode page = api.get("/v1/runs?status=" + status + "&limit=" + limit);
            for (JsonNode r : page.path("runs")) {
                String kind = r.path("kind").asText();
                if (kind.equals("agent") || kind.equals("workflow"))
                    ids.add(r.path("runId").asText());
            }
        }
        List<RunExport> exports = new ArrayList<>();
        for (String id : ids) {
            exports.add(RunExport.fromJson(api.get("/v1/runs/" + RunsCommand.encode(id) + "/export")));
        }
        UpgradeCheck.Report report = check.check(exports);
        PrintWriter out = spec.commandLine().getOut();
        for (UpgradeCheck.Broken b : report.broken()) out.println("BREAKS " + b.describe());
        out.printf(
                "%d in-flight run(s) replayed against the new code: %s%n",
                report.checked(),
                report.ok() ? "none would break" : report.broken().size() + " would break");
        return report.ok() ? 0 : 1;
    }
}
