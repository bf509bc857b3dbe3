package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.examples.EchoAgent;
import dev.tern.sdk.Definitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code is real: its snippets match compiled sources, and the embedded example runs. */
class ReadmeExamplesTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dataDir;

    @Test
    void embeddedModeRunsTheReadmeAgent() throws Exception {
        // README:embedded:start
        Definitions definitions =
                Definitions.builder().agent(EchoAgent.DEFINITION).build();
        try (TernEngine engine = TernEngine.start(EngineConfig.embedded(dataDir), definitions)) {
            String runId = engine.start("echo", new EchoAgent.Start());
            engine.send(runId, "say", new EchoAgent.Say("hello"));
            engine.send(runId, "end", new EchoAgent.Start());
            RunRecord run = engine.awaitCompletion(runId, Duration.ofSeconds(10));
            // run.output() is {"lines": ["HELLO!"]}
            // README:embedded:end
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().toString()).isEqualTo("{\"lines\":[\"HELLO!\"]}");
        }
    }

    @Test
    void readmeSnippetsAreCopiesOfCompiledCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String echo = Files.readString(ROOT.resolve("tern-examples/src/main/java/dev/tern/examples/EchoAgent.java"));
        String test =
                Files.readString(ROOT.resolve("tern-server/src/test/java/dev/tern/server/ReadmeExamplesTest.java"));
        assertThat(snippet(readme, "echo")).isEqualTo(region(echo, "// README:start", "// README:end"));
        String assistant = Files.readString(
                ROOT.resolve("tern-examples/src/main/java/dev/tern/examples/assistant/AssistantAgent.java"));
        assertThat(snippet(readme, "assistant")).isEqualTo(region(assistant, "// README:start", "// README:end"));
        assertThat(snippet(readme, "embedded"))
                .isEqualTo(region(test, "// README:embedded:start", "// README:embedded:end") + "}\n");
        String starterTest = Files.readString(
                        ROOT.resolve("tern-server/src/main/resources/starter/GreetingWorkflowTest.java.template"))
                .replace("{{Prefix}}", "MyAgents");
        assertThat(normalize(starterTest)).contains(snippet(readme, "testkit"));
        String replayTest =
                Files.readString(ROOT.resolve("tern-testkit/src/test/java/dev/tern/testkit/TernReplayerTest.java"));
        assertThat(snippet(readme, "replay"))
                .isEqualTo(region(replayTest, "// README:replay:start", "// README:replay:end"));
    }

    private static String snippet(String readme, String name) {
        Matcher m = Pattern.compile("<!-- snippet:" + name + " -->\\n```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(m.find()).as("README has snippet %s", name).isTrue();
        return normalize(m.group(1));
    }

    private static String region(String source, String start, String end) {
        String body = source.substring(source.indexOf(start) + start.length(), source.indexOf(end));
        return normalize(body.substring(body.indexOf('\n') + 1));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}
