package dev.tern.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Fire times computed from fixed instants: cron in UTC and in a zone with daylight saving, intervals anchored at
 * creation.
 */
class CadenceTest {
    static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void cronFiresAtTheNextMatchingMinuteStrictlyAfter() {
        Cadence every15 = Cadence.cron("*/15 * * * *", UTC);
        Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(every15.nextAfter(Instant.parse("2026-01-01T10:07:13Z"), anchor))
                .contains(Instant.parse("2026-01-01T10:15:00Z"));
        assertThat(every15.nextAfter(Instant.parse("2026-01-01T10:15:00Z"), anchor))
                .contains(Instant.parse("2026-01-01T10:30:00Z"));
        assertThat(every15.nextAfter(Instant.parse("2026-01-01T23:59:00Z"), anchor))
                .contains(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(Cadence.cron("0 9 * * 1-5", UTC).nextAfter(Instant.parse("2026-11-20T09:00:00Z"), anchor))
                .as("Friday 09:00 -> Monday 09:00")
                .contains(Instant.parse("2026-11-23T09:00:00Z"));
    }

    @Test
    void cronIsReadInItsTimeZoneAcrossDaylightSaving() {
        Cadence nineInParis = Cadence.cron("0 9 * * *", ZoneId.of("Europe/Paris"));
        Instant anchor = Instant.EPOCH;
        assertThat(nineInParis.nextAfter(Instant.parse("2026-01-15T00:00:00Z"), anchor))
                .contains(Instant.parse("2026-01-15T08:00:00Z"));
        assertThat(nineInParis.nextAfter(Instant.parse("2026-07-15T00:00:00Z"), anchor))
                .contains(Instant.parse("2026-07-15T07:00:00Z"));
    }

    @Test
    void intervalKeepsThePhaseOfItsAnchor() {
        Cadence second = Cadence.every(Duration.ofSeconds(1));
        Instant anchor = Instant.parse("2026-01-01T10:00:00.250Z");
        assertThat(second.nextAfter(anchor, anchor)).contains(Instant.parse("2026-01-01T10:00:01.250Z"));
        assertThat(second.nextAfter(Instant.parse("2026-01-01T10:00:05.900Z"), anchor))
                .contains(Instant.parse("2026-01-01T10:00:06.250Z"));
        assertThat(second.nextAfter(Instant.parse("2026-01-01T10:00:06.250Z"), anchor))
                .as("strictly after")
                .contains(Instant.parse("2026-01-01T10:00:07.250Z"));
        Cadence hourly = Cadence.every(Duration.ofHours(1));
        assertThat(hourly.nextAfter(Instant.parse("2026-01-03T07:59:00Z"), anchor))
                .as("a long outage skips to the next slot, not a burst")
                .contains(Instant.parse("2026-01-03T08:00:00.250Z"));
    }

    @Test
    void badExpressionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Cadence.cron("61 * * * *", UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("61");
        assertThatThrownBy(() -> Cadence.cron("* * * *", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cadence.cron("0 0 * * * *", UTC))
                .as("six fields are not UNIX cron")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cadence.cron("every day", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cadence.cron(" ", UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is empty");
        assertThatThrownBy(() -> Cadence.every(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be at least 1 second");
    }
}
