package dev.tern.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * Temporal's Java SDK against its in-memory test server ({@code temporal-testing}), time skipping off, one worker in
 * this process: it keeps nothing durable, so it is a ceiling for Temporal rather than a deployment. Runs are started
 * through the workflow client and awaited on their result.
 */
final class TemporalContender implements Contender {
    private static final String TASK_QUEUE = "bench";

    private final TestWorkflowEnvironment environment;
    private final WorkflowClient client;

    TemporalContender() {
        environment = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        Worker worker = environment.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(TemporalBench.StepsImpl.class, TemporalBench.SleepImpl.class);
        worker.registerActivitiesImplementations(new TemporalBench.ActivitiesImpl());
        environment.start();
        client = environment.getWorkflowClient();
    }

    private WorkflowOptions options(String prefix, int index) {
        return WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE)
                .setWorkflowId(prefix + "-" + index + "-" + System.nanoTime())
                .build();
    }

    @Override
    public void runSteps(int index, int steps) {
        int sum = client.newWorkflowStub(TemporalBench.Steps.class, options("steps", index))
                .run(index, steps);
        if (sum != steps) throw new IllegalStateException("Temporal workflow returned " + sum);
    }

    @Override
    public void startSleeper(int index) {
        TemporalBench.Sleep stub = client.newWorkflowStub(TemporalBench.Sleep.class, options("sleep", index));
        WorkflowClient.start(stub::run, index);
    }

    @Override
    public void close() {
        environment.close();
    }
}
