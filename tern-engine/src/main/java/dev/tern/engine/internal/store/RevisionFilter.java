package dev.tern.engine.internal.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs by the revision they are pinned to: a node claims (and waits for) only runs pinned to a revision it has loaded,
 * or to none (runs recorded before revisions). The predicate is checked on the rows the {@code ready_at} index finds,
 * written {@code (…) IS TRUE} like the claim's other such conditions, so it never changes the plan.
 */
final class RevisionFilter {
    /** What a run waits on while no node that has its revision takes it. */
    static final String UNAVAILABLE = dev.tern.engine.RunWait.REVISION_UNAVAILABLE;

    private RevisionFilter() {}

    /** The claim's predicate with named parameters {@code :rev0…}, in sorted order; empty for any revision. */
    static String claimableNamed(Set<String> revisions) {
        if (revisions == null) return "";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < revisions.size(); i++) names.add(":rev" + i);
        return predicate(names);
    }

    static NamedSql.Params namedParams(Set<String> revisions, NamedSql.Params params) {
        if (revisions == null) return params;
        List<String> sorted = revisions.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) params = params.and("rev" + i, sorted.get(i));
        return params;
    }

    /** The predicate with positional parameters (see {@link #params}); empty for any revision. */
    static String claimable(Set<String> revisions) {
        if (revisions == null) return "";
        return predicate(revisions.stream().map(r -> "?").toList());
    }

    static List<Object> params(Set<String> revisions) {
        return revisions == null
                ? List.of()
                : List.copyOf(revisions.stream().sorted().toList());
    }

    private static String predicate(List<String> placeholders) {
        if (placeholders.isEmpty()) return " AND (revision IS NULL) IS TRUE";
        return " AND (revision IS NULL OR revision IN (" + String.join(", ", placeholders) + ")) IS TRUE";
    }

    /** See {@link RunStore#parkUnavailable}. */
    static boolean park(Tx tx, String runId, int attempt, Instant retryAt, Instant now) throws SQLException {
        return tx.update(
                        "UPDATE runs SET suspended = 1, owner = NULL, ready_at = ?, waiting_on = ?, waiting_since = ?, "
                                + "updated_at = ?, version = version + 1 "
                                + "WHERE id = ? AND (attempt = ? AND status = 'running' AND suspended = 0) IS TRUE",
                        retryAt,
                        UNAVAILABLE,
                        now,
                        now,
                        runId,
                        attempt)
                > 0;
    }

    /** See {@link RunStore#markRevisionUnavailable}. */
    static int markUnavailable(Tx tx, Set<String> revisions, Instant dueBefore, Instant now) throws SQLException {
        if (revisions == null) return 0;
        List<Object> args = new ArrayList<>(List.of(UNAVAILABLE, now, now, dueBefore, UNAVAILABLE));
        args.addAll(params(revisions));
        String notLoaded = revisions.isEmpty()
                ? ""
                : " AND revision NOT IN ("
                        + String.join(", ", revisions.stream().map(r -> "?").toList()) + ")";
        return tx.update(
                "UPDATE runs SET waiting_on = ?, waiting_since = ?, updated_at = ?, version = version + 1 "
                        + "WHERE ready_at <= ? AND (status IN ('queued', 'running') AND revision IS NOT NULL "
                        + "AND (waiting_on IS NULL OR waiting_on <> ?)"
                        + notLoaded
                        + ") IS TRUE",
                args.toArray());
    }
}
