package dev.tern.engine.internal.exec;

import dev.tern.sdk.StepCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A group of steps run at once. Their sequence numbers are taken in order before any runs, so replay is deterministic
 * whatever order they finish in; recorded ones return at once and only the others run, each on its own virtual thread.
 */
final class ParallelSteps {
    private final ExecutionContext ctx;

    ParallelSteps(ExecutionContext ctx) {
        this.ctx = ctx;
    }

    <T> List<T> run(List<StepCall<T>> steps) {
        List<Callable<T>> tasks = new ArrayList<>(steps.size());
        for (StepCall<T> call : steps)
            tasks.add(io.opentelemetry.context.Context.current()
                    .wrap(ctx.prepareStep(call.name(), null, call.options(), call.resultType(), call.body(), false)));
        List<Future<T>> futures;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            futures = ctx.inParallel(() -> pool.invokeAll(tasks));
        }
        List<T> results = new ArrayList<>(steps.size());
        RuntimeException firstFailure = null;
        for (Future<T> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof WorkflowInterrupt interrupt) throw interrupt;
                if (cause instanceof Error error) throw error;
                if (firstFailure == null) firstFailure = (RuntimeException) cause;
                results.add(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.checkInterrupts();
                throw new WorkflowInterrupt.Lost(ctx.runId());
            } catch (java.util.concurrent.CancellationException e) {
                ctx.checkInterrupts();
                throw new WorkflowInterrupt.Lost(ctx.runId());
            }
        }
        if (firstFailure != null) throw firstFailure;
        return results;
    }
}
