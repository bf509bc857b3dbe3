package dev.tern.engine.internal.exec;

import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import java.util.ArrayList;
import java.util.List;

/** Which of a run's inbox events a fork takes along: those its copied steps consumed, in the order they were taken. */
public final class ForkEvents {
    private ForkEvents() {}

    /** The inbox sequences taken by the event steps among {@code steps} positioned before {@code fromStep}. */
    public static List<Long> consumedBefore(List<StepRecord> steps, int fromStep) {
        List<Long> events = new ArrayList<>();
        for (StepRecord s : steps) {
            if (s.seq() >= fromStep || s.kind() != StepKind.EVENT || s.output() == null) continue;
            StepOutcome.Event event = StepOutcome.Event.from(s.output());
            if (!event.timedOut()) events.add(event.inboxSequence());
        }
        return events;
    }
}
