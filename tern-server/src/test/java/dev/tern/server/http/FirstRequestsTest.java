package dev.tern.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's first requests may arrive together: the per-request settings Javalin would build lazily on the first one
 * (not safely when several race, a 500) are built before the server listens.
 */
class FirstRequestsTest {
    @TempDir
    Path dir;

    @Test
    void theServerListensWithItsPerRequestSettingsBuilt() {
        try (TestServer server = TestServer.start(dir, null)) {
            assertThat(FirstRequests.prepared(server.http().javalin()))
                    .as("built before any request")
                    .isTrue();
        }
    }

    @Test
    void sixtyFourFirstRequestsAtOnceAreAllAnswered() throws Exception {
        try (TestServer server = TestServer.start(dir, null);
                HttpClient client = HttpClient.newHttpClient();
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                statuses.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                                HttpRequest get = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
                                        .build();
                                return client.send(get, HttpResponse.BodyHandlers.discarding())
                                        .statusCode();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        callers));
            }
            go.countDown();
            for (CompletableFuture<Integer> status : statuses)
                assertThat(status.get()).isEqualTo(200);
        }
    }
}
