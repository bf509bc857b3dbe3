package dev.tern.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.workflow.Step;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;
import java.util.ArrayList;
import java.util.List;

/** The DBOS workflows and steps, registered as proxies on one {@link DBOS} instance by {@link #register}. */
final class DbosBenchImpl {
    private DbosBenchImpl() {}

    /** Registers the step and workflow classes (before {@code launch}) and returns the workflow proxy. */
    static DbosBench register(DBOS dbos) {
        DbosBenchSteps steps = dbos.registerProxy(DbosBenchSteps.class, new StepsImpl());
        WorkflowsImpl workflows = new WorkflowsImpl(dbos, steps);
        DbosBench proxy = dbos.registerProxy(DbosBench.class, workflows);
        workflows.self = proxy;
        return proxy;
    }

    /** The steps. */
    public static final class StepsImpl implements DbosBenchSteps {
        @Step(name = "noop")
        @Override
        public int noop(int i) {
            return 1;
        }

        @Step(name = "work")
        @Override
        public int work(int i) throws InterruptedException {
            return BenchWorkflows.work();
        }
    }

    /** The workflows; they call the steps through the step proxy so each call is checkpointed. */
    public static final class WorkflowsImpl implements DbosBench {
        private final DBOS dbos;
        private final DbosBenchSteps steps;
        /** The workflows' own proxy, through which {@link #parent} starts its children as workflows. */
        private volatile DbosBench self;

        WorkflowsImpl(DBOS dbos, DbosBenchSteps steps) {
            this.dbos = dbos;
            this.steps = steps;
        }

        @Workflow(name = BenchWorkflows.STEPS)
        @Override
        public int steps(int index, int count) {
            int sum = 0;
            for (int i = 0; i < count; i++) sum += steps.noop(i);
            return sum;
        }

        @Workflow(name = BenchWorkflows.SLEEP)
        @Override
        public int sleep(int index) {
            dbos.sleep(BenchWorkflows.SLEEP_FOR);
            return 0;
        }

        /** {@link BenchWorkflows#PARENT_WORKFLOW}: child workflows started with {@code startWorkflow}, then awaited. */
        @Workflow(name = BenchWorkflows.PARENT)
        @Override
        public int parent(int index, int children) {
            List<WorkflowHandle<Integer, RuntimeException>> started = new ArrayList<>(children);
            for (int i = 0; i < children; i++) started.add(dbos.startWorkflow(() -> self.steps(index, 1)));
            int sum = 0;
            for (WorkflowHandle<Integer, RuntimeException> child : started) sum += child.getResult();
            return sum;
        }

        @Workflow(name = BenchWorkflows.WORK)
        @Override
        public int work(int index) {
            int sum = 0;
            try {
                for (int i = 0; i < BenchWorkflows.WORK_STEPS; i++) sum += steps.work(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return sum;
        }
    }
}
