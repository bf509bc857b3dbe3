package dev.tern.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Set;
import picocli.CommandLine;

/** Runs the {@code tern} CLI in-process, capturing its exit code, stdout and stderr. */
final class Cli {
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    /** What one invocation did. */
    record Result(int exitCode, String out, String err) {
        /** Stdout parsed as one JSON document (fails the test if it is not JSON). */
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (JsonProcessingException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TernCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs the command and asserts it exited 0; returns its result. */
    static Result ok(String... args) {
        Result r = run(args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r;
    }

    /** Polls {@code tern runs get} until the run is finished (or the timeout passes) and returns the last view. */
    static JsonNode awaitRun(String url, String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode run = ok("runs", "get", runId, "--url", url).json();
            if (TERMINAL.contains(run.get("status").asText()) || System.nanoTime() > deadline) return run;
            Thread.sleep(50);
        }
    }

    /** Schedules a run with {@code tern run} (no --wait) and returns its id. */
    static String schedule(String url, String name, String input) {
        Result r = ok("run", name, "--input", input, "--url", url);
        String runId = r.json().get("runId").asText();
        assertThat(runId).startsWith("run_");
        return runId;
    }
}
