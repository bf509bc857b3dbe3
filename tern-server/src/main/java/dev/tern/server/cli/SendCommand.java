package dev.tern.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tern send RUN_ID EVENT --input JSON}: deliver an event to a running agent or workflow. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send an event to a run.")
final class SendCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClientOptions client = new ClientOptions();

  @Parameters(index = "0", paramLabel = "RUN_ID") String runId;

  @Parameters(index = "1", paramLabel = "EVENT", description = "Event name, e.g. messages or end.") String event;

  @Option(names = "--input", paramLabel = "JSON", description = "Event input as a JSON object (default: {}).") String input;

  @Override
  public Integer call() {
    ObjectNode body = Json.MAPPER.createObjectNode().put("eventName", event);
    body.set("eventInput", ClientOptions.jsonObject("--input", input));
    spec.commandLine().getOut().println(Json.write(client.client().post("/v1/runs/" + RunsCommand.encode(runId) + "/events", body)));
    return 0;
  }
}
