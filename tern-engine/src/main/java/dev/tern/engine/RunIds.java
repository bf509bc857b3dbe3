package dev.tern.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Run ids: {@code run_} then base62, time-ordered first so ids sort by creation. Ids this process makes within one
 * millisecond take the last one's random part plus one, so they sort in the order they were made too (lists order runs
 * by creation time, then id: two runs created in the same millisecond listed in random order before).
 */
public final class RunIds {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    public static final Pattern VALID = Pattern.compile("^run_[a-zA-Z0-9]+$");
    private static final int RANDOM_CHARS = 14;

    private static final Object LOCK = new Object();
    private static long lastMillis = Long.MIN_VALUE;
    private static final char[] LAST_RANDOM = new char[RANDOM_CHARS];

    private RunIds() {}

    public static String next(long nowMillis) {
        return next(nowMillis, (char) 0);
    }

    /**
     * An id for a run of the same family as {@code relative} (its child): it ends with the same character as
     * {@code relative}, so a whole family's ids end alike. The store's writer lanes go by an id's last character: a
     * parent and its children then write through one lane, and a child's end, which wakes its parent, never waits for
     * the parent's row locked by another lane's transaction (two such waits crossing each other were a deadlock that
     * PostgreSQL broke only after a second).
     */
    public static String nextBeside(String relative, long nowMillis) {
        if (!VALID.matcher(relative).matches()) throw new IllegalArgumentException("not a run id: " + relative);
        return next(nowMillis, relative.charAt(relative.length() - 1));
    }

    /** A new id; its last character is {@code last} unless that is 0. */
    private static String next(long nowMillis, char last) {
        char[] id = new char[4 + 8 + RANDOM_CHARS];
        "run_".getChars(0, 4, id, 0);
        long t = nowMillis;
        for (int i = 11; i >= 4; i--) {
            id[i] = BASE62[(int) Math.floorMod(t, 62)];
            t = Math.floorDiv(t, 62);
        }
        synchronized (LOCK) {
            // with a set last character, the digits before it count up, so the id is still above the last one made
            int counting = last == 0 ? RANDOM_CHARS : RANDOM_CHARS - 1;
            if (nowMillis != lastMillis || !increment(LAST_RANDOM, counting)) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < RANDOM_CHARS; i++) LAST_RANDOM[i] = BASE62[random.nextInt(62)];
                lastMillis = nowMillis;
            }
            if (last != 0) LAST_RANDOM[RANDOM_CHARS - 1] = last;
            System.arraycopy(LAST_RANDOM, 0, id, 12, RANDOM_CHARS);
        }
        return new String(id);
    }

    /**
     * Adds one to the base62 number of {@code digits}' first {@code length}; false when they were all the largest digit
     * (nothing left above).
     */
    private static boolean increment(char[] digits, int length) {
        for (int i = length - 1; i >= 0; i--) {
            int value = valueOf(digits[i]);
            if (value < 61) {
                digits[i] = BASE62[value + 1];
                return true;
            }
            digits[i] = BASE62[0];
        }
        return false;
    }

    private static int valueOf(char c) {
        if (c <= '9') return c - '0';
        if (c <= 'Z') return c - 'A' + 10;
        return c - 'a' + 36;
    }
}
