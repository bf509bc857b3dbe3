package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.internal.schedule.Cadence;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.ScheduleStore;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The engine's schedules ({@link TernEngine#schedules()}): each starts workflow runs with a fixed input on a cron
 * expression or every interval, on whichever node claims each fire; each fire starts exactly one run, whose idempotency
 * key is {@code sched:<scheduleId>:<fireEpochMillis>}.
 */
public final class Schedules {
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

    private final ScheduleStore store;
    private final DefinitionCatalog catalog;
    private final Clock clock;
    private final Runnable wake;
    private final String org;
    /**
     * Separates an organisation from its schedule's id in the stored id ({@code acme:nightly}): schedule ids cannot
     * hold it, idempotency keys (which name the schedule) can.
     */
    private static final String ORG_SEPARATOR = ":";

    Schedules(ScheduleStore store, DefinitionCatalog catalog, Clock clock, Runnable wake) {
        this(store, catalog, clock, wake, RunRecord.DEFAULT_ORG);
    }

    private Schedules(ScheduleStore store, DefinitionCatalog catalog, Clock clock, Runnable wake, String org) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.wake = wake;
        this.org = org;
    }

    /**
     * The schedules of organisation {@code orgId}: it names them as it likes (two organisations may both have a
     * {@code nightly}), sees only its own, and its fires' runs belong to it.
     */
    public Schedules forOrg(String orgId) {
        String o = orgId == null ? RunRecord.DEFAULT_ORG : orgId;
        return o.equals(org) ? this : new Schedules(store, catalog, clock, wake, o);
    }

    /** The id the store holds for this organisation's schedule {@code id}. */
    private String stored(String id) {
        return org.equals(RunRecord.DEFAULT_ORG) ? id : org + ORG_SEPARATOR + id;
    }

    /** The schedule as its organisation names it. */
    private ScheduleRecord named(ScheduleRecord stored) {
        String prefix = org + ORG_SEPARATOR;
        return stored.id().startsWith(prefix) ? stored.withId(stored.id().substring(prefix.length())) : stored;
    }

    /**
     * Creates a schedule and returns it with its first fire time. Bad fields are an {@link InvalidInputException}
     * naming each, an unknown workflow an {@link UnknownDefinitionException}, a taken id a
     * {@link ScheduleExistsException}.
     */
    public ScheduleRecord create(ScheduleSpec spec) {
        Instant now = clock.instant();
        List<Violation> violations = new ArrayList<>();
        if (spec.id() != null && !ID.matcher(spec.id()).matches()) {
            violations.add(new Violation(
                    "$.scheduleId", "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (spec.workflow() == null || spec.workflow().isBlank())
            violations.add(new Violation("$.workflow", "is required"));
        Cadence cadence = cadence(spec, violations);
        if (spec.releaseChannel() != null && !Releases.isChannelName(spec.releaseChannel()))
            violations.add(new Violation(
                    "$.releaseChannel", "must be a letter, then letters, digits, '_', '.' or '-' (at most 64)"));
        if (!violations.isEmpty()) throw new InvalidInputException("invalid schedule", violations);
        RunnableDefinition definition = catalog.require(RunnableDefinition.Kind.WORKFLOW, spec.workflow());
        JsonNode input =
                spec.input() == null || spec.input().isNull() ? JsonNodeFactory.instance.objectNode() : spec.input();
        try {
            catalog.validateInput(definition, input);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(
                    e.getMessage(),
                    e.violations().stream()
                            .map(v -> new Violation(v.field().replaceFirst("^\\$", "\\$.input"), v.message()))
                            .toList());
        }
        Instant next = cadence.nextAfter(now, now)
                .orElseThrow(() -> new InvalidInputException(
                        "invalid schedule",
                        List.of(new Violation("$.cron", "invalid cron expression: it never matches a date"))));
        String id = spec.id() != null
                ? spec.id()
                : "sch_" + RunIds.next(now.toEpochMilli()).substring("run_".length());
        String zone =
                spec.timezone() == null ? "UTC" : ZoneId.of(spec.timezone()).getId();
        ScheduleRecord schedule = new ScheduleRecord(
                stored(id),
                spec.workflow(),
                input,
                spec.cron() == null ? null : spec.cron().trim(),
                spec.interval(),
                zone,
                spec.paused(),
                next,
                null,
                null,
                null,
                0,
                now,
                now,
                org,
                spec.releaseChannel());
        if (!Futures.await(store.create(schedule))) throw new ScheduleExistsException(id);
        wake.run();
        return require(id);
    }

    private static Cadence cadence(ScheduleSpec spec, List<Violation> violations) {
        ZoneId zone = ZoneId.of("UTC");
        if (spec.timezone() != null) {
            try {
                zone = ZoneId.of(spec.timezone());
            } catch (DateTimeException e) {
                violations.add(new Violation(
                        "$.timezone",
                        "unknown time zone '" + spec.timezone() + "'; use an IANA id such as Europe/Paris"));
            }
        }
        if (spec.cron() != null && spec.interval() != null) {
            violations.add(new Violation("$.cron", "give either cron or intervalSeconds, not both"));
            return null;
        }
        if (spec.cron() == null && spec.interval() == null) {
            violations.add(new Violation("$.cron", "one of cron or intervalSeconds is required"));
            return null;
        }
        try {
            return spec.cron() != null ? Cadence.cron(spec.cron(), zone) : Cadence.every(spec.interval());
        } catch (IllegalArgumentException e) {
            if (spec.cron() != null)
                violations.add(new Violation("$.cron", "invalid cron expression: " + e.getMessage()));
            else violations.add(new Violation("$.intervalSeconds", e.getMessage()));
            return null;
        }
    }

    /** Every schedule, oldest first. */
    public List<ScheduleRecord> list() {
        return store.list().stream()
                .filter(s -> s.orgId().equals(org))
                .map(this::named)
                .toList();
    }

    /** The schedule with its next and last fire; a {@link ScheduleNotFoundException} if there is none. */
    public ScheduleRecord require(String id) {
        return store.find(stored(id))
                .filter(s -> s.orgId().equals(org))
                .map(this::named)
                .orElseThrow(() -> new ScheduleNotFoundException(id));
    }

    /** Stops the schedule firing until resumed; pausing a paused schedule changes nothing. */
    public ScheduleRecord pause(String id) {
        require(id);
        if (!Futures.await(store.pause(stored(id), clock.instant()))) throw new ScheduleNotFoundException(id);
        return require(id);
    }

    /** Fires again from the next due time after now; fires that fell in the pause are skipped. */
    public ScheduleRecord resume(String id) {
        ScheduleRecord schedule = require(id);
        if (!schedule.paused()) return schedule;
        Instant now = clock.instant();
        Instant next = Cadence.of(schedule.cron(), schedule.interval(), schedule.timezone())
                .nextAfter(now, schedule.createdAt())
                .orElse(schedule.nextFireAt());
        if (!Futures.await(store.resume(stored(id), next, now))) throw new ScheduleNotFoundException(id);
        wake.run();
        return require(id);
    }

    /** Deletes the schedule; the runs it started are kept. */
    public void delete(String id) {
        require(id);
        if (!Futures.await(store.delete(stored(id)))) throw new ScheduleNotFoundException(id);
    }

    /** The runs the schedule started, newest first. */
    public List<RunRecord> runs(String id, int limit) {
        require(id);
        return store.runs(org, stored(id), limit);
    }
}
