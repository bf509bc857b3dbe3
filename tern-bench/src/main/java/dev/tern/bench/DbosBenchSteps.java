package dev.tern.bench;

/** DBOS's bench steps: a no-op and the recovery workload's simulated work; its methods are {@code @Step}s. */
public interface DbosBenchSteps {
    int noop(int i);

    int work(int i) throws InterruptedException;
}
