package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies many times the chunk a request is read in and a response copied in arrive whole, both ways: the buffers are
 * sized for the usual few hundred bytes, not for the largest body.
 */
class LargeBodiesTest {
    /** Twenty times the 4 KiB a response is copied in, five times the 16 KiB a request is read in. */
    private static final int NAME_CHARS = 80 * 1024;

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null, 256 * 1024);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLargeInputAndOutputArriveWhole() {
        StringBuilder name = new StringBuilder();
        for (int i = 0; name.length() < NAME_CHARS; i++) name.append(i).append('-');
        TestServer.Response scheduled = server.post(
                "/v1/runs?waitSeconds=30",
                "{\"resourceType\": \"workflow\", \"name\": \"hello\", \"input\": {\"name\": \"" + name + "\"}}");
        assertThat(scheduled.status()).isEqualTo(201);
        assertThat(scheduled.raw().length()).isGreaterThan(2 * NAME_CHARS);
        assertThat(scheduled.body().get("status").asText()).isEqualTo("completed");
        assertThat(scheduled.body().get("input").get("name").asText()).isEqualTo(name.toString());
        assertThat(scheduled.body().get("output").get("message").asText()).contains(name);

        JsonNode read =
                server.get("/v1/runs/" + scheduled.body().get("runId").asText()).body();
        assertThat(read.get("input").get("name").asText()).isEqualTo(name.toString());
        assertThat(read.get("output").get("message").asText()).contains(name);
    }
}
