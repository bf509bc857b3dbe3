package dev.tern.sdk;

import java.util.Objects;

/**
 * A cluster-wide cap on the steps that share {@code key} (a function name, or a queue such as {@code "llm"} shared by
 * several functions): at most {@code maxConcurrent} executing at once and at most {@code perSecond} starting per
 * second. Zero means no cap of that kind. A step waits, holding no permit, until it may start.
 */
public record Limit(String key, int maxConcurrent, double perSecond) {

    public Limit {
        Names.check(key);
        if (maxConcurrent < 0) throw new IllegalArgumentException("maxConcurrent must be >= 0");
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a finite number >= 0");
        }
        if (maxConcurrent == 0 && perSecond == 0)
            throw new IllegalArgumentException("a limit needs maxConcurrent or perSecond");
        Objects.requireNonNull(key);
    }

    /** A limit on the queue or function {@code key}; add caps with the withers. */
    public static Limit queue(String key, int maxConcurrent, double perSecond) {
        return new Limit(key, maxConcurrent, perSecond);
    }
}
