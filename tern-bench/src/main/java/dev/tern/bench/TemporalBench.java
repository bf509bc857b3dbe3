package dev.tern.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** Temporal's versions of the bench workflows (see {@link BenchWorkflows}): each Tern step is an activity. */
final class TemporalBench {
    private TemporalBench() {}

    /** N no-op activities one after another. */
    @WorkflowInterface
    public interface Steps {
        @WorkflowMethod(name = BenchWorkflows.STEPS)
        int run(int index, int steps);
    }

    /** A durable one-hour timer. */
    @WorkflowInterface
    public interface Sleep {
        @WorkflowMethod(name = BenchWorkflows.SLEEP)
        int run(int index);
    }

    /** The no-op step. */
    @ActivityInterface
    public interface Activities {
        int noop(int i);
    }

    public static final class ActivitiesImpl implements Activities {
        @Override
        public int noop(int i) {
            return 1;
        }
    }

    public static final class StepsImpl implements Steps {
        private final Activities activities = Workflow.newActivityStub(
                Activities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .build());

        @Override
        public int run(int index, int steps) {
            int sum = 0;
            for (int i = 0; i < steps; i++) sum += activities.noop(i);
            return sum;
        }
    }

    public static final class SleepImpl implements Sleep {
        @Override
        public int run(int index) {
            Workflow.sleep(BenchWorkflows.SLEEP_FOR);
            return 0;
        }
    }
}
