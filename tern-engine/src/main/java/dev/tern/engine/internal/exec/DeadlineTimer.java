package dev.tern.engine.internal.exec;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A virtual thread that tells a run its deadline passed; interrupting it (the run ended first) stops it silently. */
final class DeadlineTimer {
    private DeadlineTimer() {}

    /** Starts the timer: {@code passed} runs once {@code clock} reaches {@code deadline}, unless interrupted before. */
    static Thread start(String runId, Instant deadline, Clock clock, Runnable passed) {
        return Thread.ofVirtual().name("tern-deadline-" + runId).start(() -> {
            try {
                // a test's manual clock moves without waking sleepers: look at it again every few milliseconds
                boolean manual = clock instanceof dev.tern.engine.ManualClock;
                long poll = TimeUnit.NANOSECONDS.toMillis(Wakeups.MANUAL_CLOCK_POLL_NANOS);
                for (long millis = deadline.toEpochMilli() - clock.millis();
                        millis > 0;
                        millis = deadline.toEpochMilli() - clock.millis()) {
                    Thread.sleep(manual ? Math.min(millis, poll) : millis);
                }
            } catch (InterruptedException e) {
                return;
            }
            passed.run();
        });
    }
}
