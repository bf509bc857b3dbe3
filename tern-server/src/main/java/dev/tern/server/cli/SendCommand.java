package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.TernJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tern send RUN_ID EVENT --input JSON}: deliver an event to a running agent or workflow. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send an event to a run.")
final class SendCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Parameters(index = "1", paramLabel = "EVENT", description = "Event name, e.g. messages or end.")
    String event;

    @Option(names = "--input", paramLabel = "JSON", description = "Event input as a JSON object (default: {}).")
    String input;

    @Override
    public Integer call() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("eventName", event);
        body.set("eventInput", ClientOptions.jsonObject("--input", input));
        JsonNode receipt = client.client().post("/v1/runs/" + RunsCommand.encode(runId) + "/events", body);
        spec.commandLine().getOut().println(TernJson.write(receipt));
        return 0;
    }
}
