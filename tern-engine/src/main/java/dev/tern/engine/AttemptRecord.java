package dev.tern.engine;

import java.time.Instant;
import java.util.List;

/**
 * One execution attempt of a run; a new one opens when a crashed run is taken over. {@code nodeId} is the node the
 * attempt started on; an attempt that suspended (a long sleep or wait) and was resumed later lists each resumption in
 * {@code resumes}, with the node that took it up, which may be another one.
 */
public record AttemptRecord(
        String runId,
        int attempt,
        String nodeId,
        Instant startedAt,
        Instant lastKeepAliveAt,
        Instant endedAt,
        String outcome,
        List<Resume> resumes) {

    /** The attempt went on after a suspension, on {@code nodeId}, at {@code at}. */
    public record Resume(String nodeId, Instant at) {}

    public AttemptRecord {
        resumes = resumes == null ? List.of() : List.copyOf(resumes);
    }

    /** This attempt with {@code resumes} as its resumptions (a store reads the two apart). */
    public AttemptRecord withResumes(List<Resume> resumes) {
        return new AttemptRecord(runId, attempt, nodeId, startedAt, lastKeepAliveAt, endedAt, outcome, resumes);
    }

    /** The node that executed the attempt last: the one of its latest resumption, else the one it started on. */
    public String lastNodeId() {
        return resumes.isEmpty() ? nodeId : resumes.get(resumes.size() - 1).nodeId();
    }
}
