package dev.tern.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A run and what is recorded about it besides its history, as one read saw them: what a run's page or API view shows.
 * Only the {@link Part parts} asked for are read; the others are empty. Read together so a view costs one round trip to
 * the store rather than one per part ({@link TernEngine#detail}).
 */
public record RunDetail(
        RunRecord run, List<StepRecord> steps, List<AttemptRecord> attempts, List<InteractionRecord> interactions) {

    /** What may be read with the run. */
    public enum Part {
        /** Its steps in order ({@link TernEngine#steps}). */
        STEPS,
        /** Its attempts with their resumptions ({@link TernEngine#attempts}). */
        ATTEMPTS,
        /** The questions it asked humans, oldest first ({@link TernEngine#interactions}). */
        INTERACTIONS;

        /** Every part. */
        public static Set<Part> all() {
            return EnumSet.allOf(Part.class);
        }
    }

    public RunDetail {
        steps = List.copyOf(steps);
        attempts = List.copyOf(attempts);
        interactions = List.copyOf(interactions);
    }
}
