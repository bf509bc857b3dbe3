package dev.tern.sdk;

/**
 * Lets step code report what it spent: call {@link #report} from inside a step body (any thread
 * the step started, too) and the usage is recorded with the step's checkpoint. Outside a step it
 * does nothing.
 */
public final class StepUsage {
  private static final InheritableThreadLocal<Meter> CURRENT = new InheritableThreadLocal<>();

  private StepUsage() {}

  public static void report(long inputTokens, long outputTokens, double costUsd) {
    report(new Usage(inputTokens, outputTokens, costUsd));
  }

  public static void report(Usage usage) {
    Meter meter = CURRENT.get();
    if (meter != null) meter.add(usage);
  }

  /** For the engine: starts metering the step running on this thread until the meter is closed. */
  public static Meter open() {
    Meter meter = new Meter();
    CURRENT.set(meter);
    return meter;
  }

  /** The usage reported during one step attempt. */
  public static final class Meter implements AutoCloseable {
    private Usage total = Usage.NONE;
    private boolean reported;

    private synchronized void add(Usage usage) {
      total = total.plus(usage);
      reported = true;
    }

    /** What was reported, or null if nothing was. */
    public synchronized Usage total() {
      return reported ? total : null;
    }

    @Override
    public void close() {
      CURRENT.remove();
    }
  }
}
