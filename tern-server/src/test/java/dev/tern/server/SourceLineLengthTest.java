package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No line of Java over 120 characters in any module: the formatter (checked by {@code ./mvnw verify}) wraps code at 120
 * but leaves long string literals and comments alone, so this test holds those.
 */
class SourceLineLengthTest {
    static final int LIMIT = 120;

    @Test
    void noJavaLineIsLongerThan120Characters() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> longLines = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .toList()) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).length() > LIMIT) longLines.add(root.relativize(file) + ":" + (i + 1));
                }
            }
        }
        assertThat(files).as("Java files scanned").isGreaterThan(300);
        assertThat(longLines).as("lines over %d characters", LIMIT).isEmpty();
    }
}
