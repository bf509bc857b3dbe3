package dev.tern.bench;

/** DBOS's versions of the bench workflows (see {@link BenchWorkflows}); its methods are {@code @Workflow}s. */
public interface DbosBench {
    int steps(int index, int steps);

    int sleep(int index);

    int work(int index);

    int parent(int index, int children);
}
