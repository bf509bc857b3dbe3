package dev.tern.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The child JVM of the recovery workload: starts the system on the store named by its arguments
 * ({@link RecoveryTarget#fromChildArgs} plus the run count last), starts that many runs of the work workflow, prints
 * {@value #READY} and then waits to be killed. Its steps never finish ({@link BenchWorkflows#stallWork}): every run is
 * in flight when it dies.
 */
public final class RecoveryChild {
    static final String READY = "scheduled";
    private static final int SCHEDULERS = 64;

    private RecoveryChild() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.dev.dbos", "off");
        int count = Integer.parseInt(args[args.length - 1]);
        BenchWorkflows.stallWork = true;
        RecoveryTarget target = RecoveryTarget.fromChildArgs(args);
        RecoveryTarget.Running system = target.start();
        Semaphore permits = new Semaphore(SCHEDULERS);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                permits.acquire();
                int index = i;
                workers.execute(() -> {
                    try {
                        system.startRun(index);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
