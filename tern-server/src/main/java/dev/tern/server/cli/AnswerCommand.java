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

/**
 * {@code tern answer RUN_ID [INTERACTION_ID] --answer JSON}: answer a run's question to a human; without an interaction
 * id, the question the run is blocked on.
 */
@Command(
        name = "answer",
        mixinStandardHelpOptions = true,
        description = "Answer a run's question to a human; the run resumes.")
final class AnswerCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "INTERACTION_ID",
            description = "Default: the question the run waits on.")
    String interactionId;

    @Option(
            names = "--answer",
            required = true,
            paramLabel = "JSON",
            description = "The answer, e.g. '{\"approved\": true}'.")
    String answer;

    @Override
    public Integer call() {
        JsonNode value = ClientOptions.json("--answer", answer);
        ApiClient api = client.client();
        String id = interactionId;
        if (id == null) {
            JsonNode run = api.get("/v1/runs/" + RunsCommand.encode(runId));
            if (!run.hasNonNull("blockingInteractionId")) {
                throw new CliException(
                        1, "run " + runId + " is " + run.path("status").asText() + ", not waiting for an answer");
            }
            id = run.get("blockingInteractionId").asText();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("answer", value);
        String path = "/v1/runs/" + RunsCommand.encode(runId) + "/interactions/" + RunsCommand.encode(id);
        spec.commandLine().getOut().println(TernJson.write(api.post(path, body)));
        return 0;
    }
}
