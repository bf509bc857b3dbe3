package dev.tern.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.TernEngine;
import dev.tern.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream writer on its own: heartbeats while a run is idle, and a client that goes away ends the stream. */
class HistoryStreamTest {
    @TempDir
    Path dir;

    /** Collects what is written; fails like a closed socket once it has seen {@code heartbeats} heartbeats. */
    static final class Client extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int heartbeats;

        Client(int heartbeats) {
            this.heartbeats = heartbeats;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void write(int b) throws IOException {
            if (text().split(": heartbeat", -1).length > heartbeats) throw new IOException("client went away");
            bytes.write(b);
        }
    }

    @Test
    void anIdleRunGetsHeartbeatsAndADepartedClientEndsTheStream() throws Exception {
        try (TestServer server = TestServer.start(dir, null)) {
            TernEngine engine = server.engine();
            String runId = server.post("/v1/runs", "{\"name\": \"approval\", \"input\": {}}")
                    .body()
                    .get("runId")
                    .asText();
            while (engine.interactions(runId).isEmpty()) Thread.sleep(20);
            Client client = new Client(2);
            long started = System.nanoTime();
            HistoryStream stream = new HistoryStream(engine, runId, 0, client, Duration.ofMillis(300));
            assertThatThrownBy(stream::run).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(client.text())
                    .startsWith("retry: 1000\n")
                    .contains("event: interaction_opened\n")
                    .contains("\n: heartbeat\n\n");
            assertThat(client.text().split(": heartbeat", -1)).hasSize(3);
        }
    }
}
