package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's public API is the whole API: the main code of every module built on the engine names no
 * {@code dev.tern.engine.internal} (nor {@code dev.tern.sdk.internal}) type, by import or by qualified name, and the
 * SDK names nothing of the engine. Tern has no {@code module-info} to enforce this (see docs/design-notes.md), so this
 * test reads the sources. Tests may use internals, for fault injection.
 */
class PublicApiBoundaryTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Pattern INTERNALS = Pattern.compile("dev\\.tern\\.(engine|sdk)\\.internal\\b");
    static final Pattern ENGINE = Pattern.compile("dev\\.tern\\.engine\\b");
    static final List<String> ON_THE_ENGINE =
            List.of("tern-server", "tern-agents", "tern-testkit", "tern-examples", "tern-bench");

    @Test
    void modulesBuiltOnTheEngineUseOnlyItsPublicApi() {
        for (String module : ON_THE_ENGINE) {
            List<Path> sources = mainSources(module);
            assertThat(sources).as("%s has main sources to check", module).isNotEmpty();
            List<String> uses =
                    sources.stream().flatMap(f -> uses(f, INTERNALS)).toList();
            assertThat(uses).as("internals used by %s", module).isEmpty();
        }
    }

    @Test
    void theSdkNamesNothingOfTheEngine() {
        List<Path> sources = mainSources("tern-sdk");
        assertThat(sources).hasSizeGreaterThan(10);
        assertThat(sources.stream().flatMap(f -> uses(f, ENGINE)).toList()).isEmpty();
    }

    /** The check itself finds what it looks for: an import, a qualified name; and not a lookalike. */
    @Test
    void theScanSeesImportsAndQualifiedNames() {
        assertThat(INTERNALS
                        .matcher("import dev.tern.engine.internal.json.Json;")
                        .find())
                .isTrue();
        assertThat(INTERNALS
                        .matcher("x = dev.tern.engine.internal.json.Json.convert(n, T.class);")
                        .find())
                .isTrue();
        assertThat(INTERNALS
                        .matcher("import dev.tern.sdk.internal.StepAttempt;")
                        .find())
                .isTrue();
        assertThat(INTERNALS.matcher("import dev.tern.engine.InternalThing;").find())
                .isFalse();
    }

    private static List<Path> mainSources(String module) {
        Path dir = ROOT.resolve(module).resolve("src/main/java");
        assertThat(dir).as("source folder of %s", module).isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line of {@code file} naming what {@code pattern} matches, as {@code path:line: text}. */
    private static Stream<String> uses(Path file, Pattern pattern) {
        List<String> found = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = pattern.matcher(lines.get(i));
                if (m.find())
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found.stream();
    }
}
