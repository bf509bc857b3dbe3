package dev.tern.engine;

import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Scheduling many runs at once, all or nothing: every request is checked first (a refused one is a
 * {@link BatchItemException} naming its place, and nothing is written), then every run is written in one store
 * transaction, where a reused idempotency key must repeat the request that took it (else the transaction rolls back and
 * nothing is created), an organisation's quota counts each run, and then the new runs start on this node while it has
 * free slots (the others are claimed by any node).
 */
final class RunBatch {
    private final RunCreation creation;
    private final RunStore store;

    RunBatch(RunCreation creation, RunStore store) {
        this.creation = creation;
        this.store = store;
    }

    /** One result per request, in order. */
    List<RunCreation.Created> create(List<RunRequest> requests) {
        if (requests.isEmpty() || requests.size() > RunRequest.MAX_BATCH) {
            throw new InvalidInputException(
                    "a batch holds 1 to " + RunRequest.MAX_BATCH + " runs, this one " + requests.size(),
                    List.of(new Violation(
                            "$.runs", "must hold 1 to " + RunRequest.MAX_BATCH + " runs, was " + requests.size())));
        }
        List<RunCreation.Prepared> checked = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                checked.add(creation.check(requests.get(i), RunLinks.NONE));
            } catch (TernException e) {
                throw new BatchItemException(i, e);
            }
        }
        List<RunCreation.Prepared> runs =
                checked.stream().map(creation::reserve).toList();
        List<NewRun> rows = runs.stream().map(creation::row).toList();
        List<String> stored;
        try {
            stored = Futures.await(store.createRuns(rows, (i, id, name, input) -> {
                RunCreation.Prepared run = runs.get(i);
                try {
                    SameRequest.require(
                            id, name, Json.parse(input), run.options().idempotencyKey(), run);
                } catch (IdempotencyConflictException e) {
                    throw new BatchItemException(i, e);
                }
            }));
        } catch (RuntimeException e) {
            runs.forEach(creation::release);
            throw e;
        }
        List<RunCreation.Created> created = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            RunCreation.Prepared run = runs.get(i);
            if (stored.get(i).equals(run.id())) {
                StoredRun inserted = rows.get(i).inserted(run.body());
                creation.started(run, inserted);
                created.add(new RunCreation.Created(run.id(), true, inserted.toRecord()));
            } else {
                creation.release(run);
                created.add(new RunCreation.Created(stored.get(i), false));
            }
        }
        return created;
    }

    /**
     * The runs: a new one as its insert wrote it, one found by its idempotency key read back, in one query per few
     * hundred (one read per run made 1,000 reads).
     */
    List<ScheduledRun> scheduled(List<RunCreation.Created> created) {
        java.util.Map<String, RunRecord> byId = new java.util.HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (RunCreation.Created c : created) {
            if (c.asCreated() != null) byId.put(c.runId(), c.asCreated());
            else unknown.add(c.runId());
        }
        if (!unknown.isEmpty()) for (var run : store.findRuns(unknown)) byId.put(run.id(), run.toRecord());
        return created.stream()
                .map(c -> new ScheduledRun(
                        java.util.Optional.ofNullable(byId.get(c.runId()))
                                .orElseThrow(() -> new RunNotFoundException(c.runId())),
                        c.created()))
                .toList();
    }
}
