package dev.tern.sdk.internal;

import dev.tern.sdk.GenAiOperation;
import dev.tern.sdk.StepScope;
import dev.tern.sdk.StepType;
import dev.tern.sdk.Usage;

/**
 * The engine's side of a {@link StepScope}: it opens one per step attempt on the step's thread, runs the step, then
 * reads what the step reported before closing it. Public only so that the engine, in another module, can do so;
 * application code uses {@link StepScope}.
 */
public final class StepAttempt implements StepScope, AutoCloseable {
    private static final InheritableThreadLocal<StepAttempt> CURRENT = new InheritableThreadLocal<>();

    /** Where live text of a step goes: the run's stream, never its history. */
    @FunctionalInterface
    public interface TokenSink {
        void token(int stepSeq, String text);
    }

    private final int stepSeq;
    private final int attempt;
    private final TokenSink tokens;
    private Usage usage = Usage.NONE;
    private boolean reported;
    private StepType type;
    private GenAiOperation.ModelCall modelCall;
    private long modelCallEndNanos;
    private GenAiOperation.ToolExecution toolExecution;

    private StepAttempt(int stepSeq, int attempt, TokenSink tokens) {
        this.stepSeq = stepSeq;
        this.attempt = attempt;
        this.tokens = tokens;
    }

    /** The attempt running on this thread (or a thread it started), or {@code null}. */
    public static StepAttempt current() {
        return CURRENT.get();
    }

    /** Opens the scope of one step attempt on this thread, until {@link #close()}. */
    public static StepAttempt open(int stepSeq, int attempt, TokenSink tokens) {
        StepAttempt scope = new StepAttempt(stepSeq, attempt, tokens);
        CURRENT.set(scope);
        return scope;
    }

    @Override
    public int stepSeq() {
        return stepSeq;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public synchronized void reportUsage(Usage spent) {
        usage = usage.plus(spent);
        reported = true;
    }

    @Override
    public void token(String text) {
        if (tokens != null && text != null && !text.isEmpty()) tokens.token(stepSeq, text);
    }

    @Override
    public synchronized void markType(StepType stepType) {
        this.type = stepType;
    }

    @Override
    public synchronized void report(GenAiOperation operation) {
        switch (operation) {
            case GenAiOperation.ModelCall m -> {
                modelCall = m;
                modelCallEndNanos = System.nanoTime();
            }
            case GenAiOperation.ToolExecution t -> toolExecution = t;
        }
    }

    /** The model call this attempt reported, or {@code null}. */
    public synchronized GenAiOperation.ModelCall modelCall() {
        return modelCall;
    }

    /** When ({@link System#nanoTime()}) the model call was reported: the end of the call. */
    public synchronized long modelCallEndNanos() {
        return modelCallEndNanos;
    }

    /** The tool execution this attempt reported, or {@code null}. */
    public synchronized GenAiOperation.ToolExecution toolExecution() {
        return toolExecution;
    }

    /** What the step reported, or {@code null} if nothing was. */
    public synchronized Usage usage() {
        return reported ? usage : null;
    }

    /** The type the step set with {@link #markType}, or {@code null}. */
    public synchronized StepType typeOverride() {
        return type;
    }

    @Override
    public void close() {
        if (CURRENT.get() == this) CURRENT.remove();
    }
}
