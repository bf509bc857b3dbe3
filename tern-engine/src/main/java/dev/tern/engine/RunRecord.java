package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.Budget;
import java.time.Instant;
import java.util.Objects;

/**
 * A run as clients see it: what was asked ({@code kind}, {@code name}, {@code input}), where it stands ({@code status},
 * what it waits on, whether it is suspended), and how it ended. {@code budget} is what it may spend on model calls as
 * scheduled ({@code null}: none given); {@code release} the revision (and channel, snapshots) it is pinned to.
 * {@code lastEventSeq} is the sequence of its latest history event; {@code version} is the record's optimistic version:
 * it changes with every write that changes the run as its views show it (status, waiting state, suspension, output,
 * attempt, cancel request, pending events), not with history alone (step checkpoints). Build one with {@link #builder}.
 */
public record RunRecord(
        String id,
        RunKind kind,
        String name,
        RunStatus status,
        JsonNode input,
        JsonNode output,
        ErrorInfo error,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        int attempt,
        long lastEventSeq,
        long version,
        boolean cancelRequested,
        Suspension suspension,
        RunWait waiting,
        RunLinks links,
        Instant deadlineAt,
        String idempotencyKey,
        String webhookUrl,
        Budget budget,
        String orgId,
        RunRelease release) {

    /**
     * The run holds no thread on any node while it waits: it resumes at {@code wakeAt} (a timer), or, when that is
     * {@code null}, as soon as what it waits for arrives (an event, an answer, a child's end).
     */
    public record Suspension(Instant wakeAt) {}

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        if (waiting == null) waiting = RunWait.NONE;
        if (links == null) links = RunLinks.NONE;
        if (orgId == null) orgId = DEFAULT_ORG;
        if (release == null) release = RunRelease.NONE;
    }

    /** The organisation of runs created without one (a server without a tokens file, an embedded engine). */
    public static final String DEFAULT_ORG = "default";

    /** Whether the run is suspended (see {@link #suspension()}). */
    public boolean suspended() {
        return suspension != null;
    }

    /** A builder of the record: the four required fields, then the others by name. */
    public static Builder builder(String id, RunKind kind, String name, RunStatus status) {
        return new Builder(id, kind, name, status);
    }

    /** Collects a run's fields by name; unset fields are null, zero or false (no links, no wait). */
    public static final class Builder {
        private final String id;
        private final RunKind kind;
        private final String name;
        private final RunStatus status;
        private JsonNode input;
        private JsonNode output;
        private ErrorInfo error;
        private Instant createdAt;
        private Instant startedAt;
        private Instant completedAt;
        private Instant updatedAt;
        private int attempt;
        private long lastEventSeq;
        private long version;
        private boolean cancelRequested;
        private Suspension suspension;
        private RunWait waiting;
        private RunLinks links;
        private Instant deadlineAt;
        private String idempotencyKey;
        private String webhookUrl;
        private Budget budget;
        private String orgId;
        private RunRelease release;

        private Builder(String id, RunKind kind, String name, RunStatus status) {
            this.id = id;
            this.kind = kind;
            this.name = name;
            this.status = status;
        }

        public Builder input(JsonNode value) {
            input = value;
            return this;
        }

        public Builder output(JsonNode value) {
            output = value;
            return this;
        }

        public Builder error(ErrorInfo value) {
            error = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Builder completedAt(Instant value) {
            completedAt = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        public Builder attempt(int value) {
            attempt = value;
            return this;
        }

        public Builder lastEventSeq(long value) {
            lastEventSeq = value;
            return this;
        }

        public Builder version(long value) {
            version = value;
            return this;
        }

        public Builder cancelRequested(boolean value) {
            cancelRequested = value;
            return this;
        }

        public Builder suspension(Suspension value) {
            suspension = value;
            return this;
        }

        public Builder waiting(RunWait value) {
            waiting = value;
            return this;
        }

        public Builder links(RunLinks value) {
            links = value;
            return this;
        }

        public Builder deadlineAt(Instant value) {
            deadlineAt = value;
            return this;
        }

        public Builder idempotencyKey(String value) {
            idempotencyKey = value;
            return this;
        }

        public Builder webhookUrl(String value) {
            webhookUrl = value;
            return this;
        }

        public Builder budget(Budget value) {
            budget = value;
            return this;
        }

        public Builder orgId(String value) {
            orgId = value;
            return this;
        }

        /** The revision, channel and snapshots the run was pinned to. */
        public Builder release(RunRelease value) {
            release = value;
            return this;
        }

        public RunRecord build() {
            return new RunRecord(
                    id,
                    kind,
                    name,
                    status,
                    input,
                    output,
                    error,
                    createdAt,
                    startedAt,
                    completedAt,
                    updatedAt,
                    attempt,
                    lastEventSeq,
                    version,
                    cancelRequested,
                    suspension,
                    waiting,
                    links,
                    deadlineAt,
                    idempotencyKey,
                    webhookUrl,
                    budget,
                    orgId,
                    release);
        }
    }
}
