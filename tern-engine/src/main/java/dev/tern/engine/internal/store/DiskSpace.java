package dev.tern.engine.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Explains a full disk at start-up in numbers: opening the embedded store after a crash folds its write-ahead log into
 * the database file, which needs up to the log's size in free space.
 */
public final class DiskSpace {
    private static final long MARGIN = 1L << 20;

    private DiskSpace() {}

    public static String explainStartup(Path dataDir) {
        Path wal = dataDir.resolve("tern.db-wal");
        long walBytes = size(wal);
        long free;
        try {
            free = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        long needed = walBytes + MARGIN;
        return "the disk holding " + dataDir.toAbsolutePath() + " is full ("
                + (free < 0 ? "free space unknown" : mib(free) + " free")
                + "): opening the store folds its write-ahead log (" + mib(walBytes)
                + ") into the database, which needs up to "
                + mib(needed) + " free; free at least " + mib(Math.max(0, needed - Math.max(free, 0)))
                + " more and start again. "
                + "No data is lost meanwhile.";
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
