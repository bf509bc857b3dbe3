package dev.tern.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh directory (under a given parent, or the system temp dir) that is deleted with its contents on close. */
final class ScratchDir implements AutoCloseable {
    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    static ScratchDir create(Path parent, String prefix) {
        try {
            if (parent == null) return new ScratchDir(Files.createTempDirectory(prefix));
            Files.createDirectories(parent);
            return new ScratchDir(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("warning: could not delete " + path + ": " + e.getMessage());
        }
    }
}
