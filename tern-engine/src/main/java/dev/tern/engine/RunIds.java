package dev.tern.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Run ids: {@code run_} then base62, time-ordered first so ids sort roughly by creation. */
public final class RunIds {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    public static final Pattern VALID = Pattern.compile("^run_[a-zA-Z0-9]+$");

    private RunIds() {}

    public static String next(long nowMillis) {
        StringBuilder id = new StringBuilder("run_");
        char[] time = new char[8];
        long t = nowMillis;
        for (int i = 7; i >= 0; i--) {
            time[i] = BASE62[(int) (t % 62)];
            t /= 62;
        }
        id.append(time);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 14; i++) id.append(BASE62[random.nextInt(62)]);
        return id.toString();
    }
}
