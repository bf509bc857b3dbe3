package dev.tern.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.TernJson;
import java.io.PrintWriter;
import java.util.Set;

/** Polls a run until it finishes, printing each step as it completes; the exit code says how it ended. */
final class RunWaiter {
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");
    private final ApiClient api;
    private final PrintWriter progress;

    RunWaiter(ApiClient api, PrintWriter progress) {
        this.api = api;
        this.progress = progress;
    }

    int waitAndPrint(String runId, int timeoutSeconds, PrintWriter out) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        int shownSteps = 0;
        String shownStatus = "";
        progress.println("run " + runId);
        while (true) {
            JsonNode run = api.get("/v1/runs/" + runId);
            JsonNode steps = run.get("steps");
            for (; shownSteps < steps.size(); shownSteps++) {
                JsonNode s = steps.get(shownSteps);
                if (s.get("status").asText().equals("waiting")) break;
                progress.println("  step " + s.get("seq").asInt() + " "
                        + s.get("kind").asText() + " " + s.get("name").asText() + " "
                        + s.get("status").asText()
                        + (s.has("durationMs") ? " (" + s.get("durationMs").asLong() + " ms)" : ""));
            }
            String status = run.get("status").asText();
            if (!status.equals(shownStatus)) {
                progress.println("  status " + status + (run.has("waiting") ? " (waiting)" : ""));
                shownStatus = status;
            }
            progress.flush();
            if (TERMINAL.contains(status)) {
                if (status.equals("completed")) {
                    out.println(TernJson.write(run.get("output")));
                    out.flush();
                    return 0;
                }
                progress.println("run " + status
                        + (run.has("error")
                                ? ": " + run.get("error").path("message").asText()
                                : ""));
                progress.flush();
                return 1;
            }
            if (System.currentTimeMillis() > deadline) {
                progress.println(
                        "still " + status + " after " + timeoutSeconds + " s; follow it with: tern runs get " + runId);
                progress.flush();
                return 3;
            }
            Thread.sleep(250);
        }
    }
}
