package dev.tern.sdk;

/**
 * The step executing on this thread, as its code sees it: report what it spent, stream text while
 * it works, or say what kind of step it turned out to be. Take it with {@link #current()} on the
 * step's thread and keep the reference for callbacks on other threads (a streaming HTTP client's,
 * say). Outside a step, {@link #current()} is {@code null}.
 */
public final class StepScope implements AutoCloseable {
  private static final InheritableThreadLocal<StepScope> CURRENT = new InheritableThreadLocal<>();

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

  private StepScope(int stepSeq, int attempt, TokenSink tokens) {
    this.stepSeq = stepSeq;
    this.attempt = attempt;
    this.tokens = tokens;
  }

  /** The step running on this thread (or a thread it started), or {@code null}. */
  public static StepScope current() {
    return CURRENT.get();
  }

  /**
   * Opens the scope of one step attempt on this thread, until {@link #close()}. Called by the
   * engine that executes the step; step code never needs it.
   */
  public static StepScope open(int stepSeq, int attempt, TokenSink tokens) {
    StepScope scope = new StepScope(stepSeq, attempt, tokens);
    CURRENT.set(scope);
    return scope;
  }

  /** The step's position in its run. */
  public int stepSeq() {
    return stepSeq;
  }

  /** Which attempt of the step this is: 1, then 2 after a retry or after the process running it died. */
  public int attempt() {
    return attempt;
  }

  /** Adds tokens and money this attempt spent; recorded with the step's checkpoint and added to the run's metrics. */
  public synchronized void reportUsage(Usage spent) {
    usage = usage.plus(spent);
    reported = true;
  }

  /** Streams {@code text} to the run's live watchers now (e.g. a model's token); not part of the history. */
  public void token(String text) {
    if (tokens != null && text != null && !text.isEmpty()) tokens.token(stepSeq, text);
  }

  /** Records the step as {@code stepType} instead of the type its options declared (a model call that chose tools is a decision). */
  public synchronized void markType(StepType stepType) {
    this.type = stepType;
  }

  /** What was reported, or {@code null} if nothing was. */
  public synchronized Usage usage() {
    return reported ? usage : null;
  }

  /** The type set by {@link #markType}, or {@code null}. */
  public synchronized StepType typeOverride() {
    return type;
  }

  @Override
  public void close() {
    if (CURRENT.get() == this) CURRENT.remove();
  }
}
