package dev.tern.server.http;

import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organisation of each run a request names, remembered: a run never changes organisation and its id is never
 * reused, so {@link OrgScope} reads the store once per run rather than once per request (every run-scoped request made
 * with a token did, before its route read the run again). At most {@value #MAX_RUNS} runs are remembered; past that the
 * memory starts over, costing one read per run named again. A run deleted since (retention) is still remembered: its
 * route finds nothing and answers 404 as before, to its owner and to anyone else.
 */
final class RunOrgs {
    static final int MAX_RUNS = 20_000;

    private final TernEngine engine;
    private final ConcurrentHashMap<String, String> orgs = new ConcurrentHashMap<>();

    RunOrgs(TernEngine engine) {
        this.engine = engine;
    }

    /** The run's organisation; empty if no such run exists (nothing is remembered of it). */
    Optional<String> of(String runId) {
        String org = orgs.get(runId);
        if (org != null) return Optional.of(org);
        Optional<String> read = engine.run(runId).map(RunRecord::orgId);
        read.ifPresent(found -> {
            if (orgs.size() >= MAX_RUNS) orgs.clear();
            orgs.put(runId, found);
        });
        return read;
    }
}
