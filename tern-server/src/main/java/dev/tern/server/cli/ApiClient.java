package dev.tern.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.TernJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The CLI's HTTP client of a Tern server; a failed call becomes a {@link CliException} with the server's problem
 * detail.
 */
final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode post(String path, JsonNode body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : TernJson.write(body))));
    }

    /** Deletes; returns the body, null when the server answers 204. */
    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            throw CliException.badArgument("--url is not a valid URL: " + baseUrl);
        }
        if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(
                    1,
                    "cannot reach Tern at " + baseUrl + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); is `tern server` running? Use --url or TERN_URL.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(1, "interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isEmpty() ? null : TernJson.reader().readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CliException(
                    1, "server answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            StringBuilder message = new StringBuilder("HTTP " + response.statusCode());
            if (body != null && body.has("detail"))
                message.append(": ").append(body.get("detail").asText());
            if (body != null && body.has("errors")) {
                for (JsonNode e : body.get("errors"))
                    message.append("\n  ")
                            .append(e.path("field").asText())
                            .append(": ")
                            .append(e.path("message").asText());
            }
            throw new CliException(1, message.toString());
        }
        return body;
    }
}
