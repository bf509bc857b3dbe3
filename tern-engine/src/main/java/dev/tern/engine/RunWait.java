package dev.tern.engine;

import java.time.Instant;

/**
 * What an unfinished run is waiting on, when it waits on something outside itself: a human's
 * answer ({@code blockingInteractionId} set) or a concurrency or rate limit.
 */
public record RunWait(String waitingOn, Instant waitingSince, String blockingInteractionId) {
  public static final String HUMAN = "human";
  public static final String LIMIT_PREFIX = "limit:";

  public boolean onHuman() {
    return HUMAN.equals(waitingOn);
  }

  public boolean onLimit() {
    return waitingOn != null && waitingOn.startsWith(LIMIT_PREFIX);
  }
}
