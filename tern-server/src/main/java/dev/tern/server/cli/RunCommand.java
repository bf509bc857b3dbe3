package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.TernJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tern run NAME --input JSON [--wait]}: schedule a run; with --wait, show progress and print the result. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Schedule a run of an agent or workflow.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Parameters(index = "0", paramLabel = "NAME", description = "Agent or workflow name.")
    String name;

    @Option(names = "--input", paramLabel = "JSON", description = "Input as a JSON object (default: {}).")
    String input;

    @Option(names = "--wait", description = "Wait for the run to finish, showing progress; print its output.")
    boolean await;

    @Option(
            names = "--timeout",
            defaultValue = "600",
            description = "Seconds to wait with --wait (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name);
        body.set("input", ClientOptions.jsonObject("--input", input));
        ApiClient api = client.client();
        JsonNode run = api.post("/v1/runs", body);
        PrintWriter out = spec.commandLine().getOut();
        if (!await) {
            out.println(TernJson.write(JsonNodeFactory.instance
                    .objectNode()
                    .put("runId", run.get("runId").asText())
                    .put("status", run.get("status").asText())));
            return 0;
        }
        return new RunWaiter(api, spec.commandLine().getErr())
                .waitAndPrint(run.get("runId").asText(), timeoutSeconds, out);
    }
}
