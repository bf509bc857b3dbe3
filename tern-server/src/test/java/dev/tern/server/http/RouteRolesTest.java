package dev.tern.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.server.TestServer;
import dev.tern.server.auth.Role;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the server registers and the role it needs: a route added without a row here fails this test (and one
 * {@link RouteRoles} has no rule for fails the server's start). The OpenAPI document declares 403 exactly where more
 * than the viewer role is needed.
 */
class RouteRolesTest {
    /** "open": no token needed. */
    static final Map<String, String> EXPECTED = table(
            "GET /health", "open",
            "GET /health/ready", "open",
            "GET /openapi.json", "viewer",
            "GET /metrics", "admin",
            "POST /api/agents/{agentName}", "member",
            "POST /api/workflows/{workflowName}", "member",
            "GET /api/agents/{agentName}/{runId}", "viewer",
            "GET /api/workflows/{workflowName}/{runId}", "viewer",
            "PUT /api/agents/{agentName}/{runId}", "member",
            "PUT /api/agents/{agentName}/{agentId}/{runId}", "member",
            "GET /v1/runs", "viewer",
            "POST /v1/runs", "member",
            "POST /v1/runs:batch", "member",
            "GET /v1/runs/{runId}", "viewer",
            "GET /v1/runs/{runId}/agent-run", "viewer",
            "GET /v1/runs/{runId}/resource", "viewer",
            "GET /v1/threads/{threadId}/runs", "viewer",
            "GET /v1/runs/{runId}/history", "viewer",
            "POST /v1/runs/{runId}/cancel", "member",
            "POST /v1/runs/{runId}/events", "member",
            "GET /v1/definitions", "viewer",
            "GET /v1/runs/{runId}/interactions", "viewer",
            "POST /v1/runs/{runId}/interactions/{interactionId}", "member",
            "POST /v1/runs/{runId}/fork", "member",
            "POST /v1/schedules", "admin",
            "GET /v1/schedules", "viewer",
            "GET /v1/schedules/{scheduleId}", "viewer",
            "POST /v1/schedules/{scheduleId}/pause", "admin",
            "POST /v1/schedules/{scheduleId}/resume", "admin",
            "DELETE /v1/schedules/{scheduleId}", "admin",
            "GET /v1/schedules/{scheduleId}/runs", "viewer",
            "GET /v1/runs/{runId}/stream", "viewer",
            "GET /v1/runs/{runId}/webhooks", "admin",
            "GET /v1/runs/{runId}/compare/{otherRunId}", "viewer",
            "GET /v1/runs/{runId}/export", "viewer",
            "GET /v1/channels", "viewer",
            "POST /v1/channels/{name}", "admin");

    @TempDir
    Path dir;

    @Test
    void everyRegisteredRouteHasTheRoleOfTheTable() {
        Map<String, String> actual = new LinkedHashMap<>();
        try (TestServer server = TestServer.start(dir, null)) {
            for (Route route : server.http().routes()) {
                Role role = RouteRoles.required(route.method(), route.path());
                actual.put(route.method().toUpperCase() + " " + route.path(), role == null ? "open" : role.wireName());
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(EXPECTED);
    }

    @Test
    void theDocumentDeclares403WhereMoreThanViewerIsNeeded() {
        JsonNode paths = OpenApiDocument.build().get("paths");
        EXPECTED.forEach((route, role) -> {
            String[] parts = route.split(" ");
            JsonNode responses =
                    paths.path(parts[1]).path(parts[0].toLowerCase()).path("responses");
            assertThat(responses.isObject()).as(route).isTrue();
            boolean more = role.equals("member") || role.equals("admin");
            assertThat(responses.has("403"))
                    .as("%s (%s) declares 403", route, role)
                    .isEqualTo(more);
            if (more)
                assertThat(responses.get("403").path("$ref").asText())
                        .as(route)
                        .isEqualTo("#/components/responses/Forbidden");
        });
    }

    @Test
    void aRouteWithoutARuleIsRefused() {
        assertThatThrownBy(() -> RouteRoles.required("get", "/v1/settings"))
                .hasMessageContaining("no role is declared for GET /v1/settings");
        assertThatThrownBy(() -> RouteRoles.required("post", "/v1/definitions"))
                .hasMessageContaining("POST /v1/definitions");
        assertThatThrownBy(() -> RouteRoles.required("patch", "/v1/runs/{runId}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RouteRoles.required("post", "/v1/schedules/{scheduleId}/pause"))
                .isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> RouteRoles.required("get", "/v1/runsx")).as("not under /v1/runs");
    }

    private static Map<String, String> table(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) out.put(pairs[i], pairs[i + 1]);
        return out;
    }
}
