package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.TernEngine;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench/ab}'s comparison, with this build on both sides: each side its own engine, store and statics. */
class BuildAbTest {
    @TempDir
    Path dir;

    /** This test's classpath without the bench's own classes, which {@link BuildSide} puts first on each side. */
    private static List<Path> engineClasspath() throws Exception {
        Path bench = Path.of(BuildAb.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> !p.equals(bench) && !p.endsWith("test-classes"))
                .toList();
    }

    private static URL benchClasses() {
        return BuildAb.class.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void eachSideRunsItsOwnEngineInItsOwnClassLoader() throws Exception {
        List<Path> classpath = engineClasspath();
        try (BuildSide a = BuildSide.open("a", benchClasses(), classpath, dir, null, 8, AbRound.Via.IN_PROCESS);
                BuildSide b = BuildSide.open("b", benchClasses(), classpath, dir, null, 8, AbRound.Via.REST)) {
            Class<?> engineA = a.loader().loadClass(TernEngine.class.getName());
            Class<?> engineB = b.loader().loadClass(TernEngine.class.getName());
            assertThat(engineA).isNotSameAs(engineB).isNotSameAs(TernEngine.class);
            assertThat(engineA.getClassLoader()).isSameAs(a.loader());
            assertThat(a.contender()).isEqualTo("TernContender");
            assertThat(b.contender()).isEqualTo("TernRestContender");
            double[] round = a.round(50);
            assertThat(round[0]).as("workflows/s").isPositive().isFinite();
            assertThat(round[1]).as("CPU µs a workflow").isPositive().isFinite();
            assertThat(b.round(50)[0]).isPositive();
        }
    }

    /**
     * On a database of its own: the scratch schemas are counted, and the bench's other tests, run meanwhile in the
     * other test JVM, make theirs in the shared one.
     */
    @Test
    void eachSideOnPostgresqlHasItsOwnDriverAndSchema() throws Exception {
        String database = "tern_buildab_" + Long.toString(System.nanoTime(), 36);
        execute(PostgresDatabase.DEFAULT_URL, "CREATE DATABASE " + database);
        try {
            String url = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
            List<Path> classpath = engineClasspath();
            int before = benchSchemas(url);
            try (BuildSide a = BuildSide.open("a", benchClasses(), classpath, dir, url, 8, AbRound.Via.IN_PROCESS);
                    BuildSide b =
                            BuildSide.open("b", benchClasses(), classpath, dir, url, 8, AbRound.Via.REST_ONE_REQUEST)) {
                assertThat(b.contender()).isEqualTo("TernRestContender");
                assertThat(a.round(40)[0]).isPositive();
                assertThat(b.round(40)[0]).isPositive();
                assertThat(benchSchemas(url)).as("a scratch schema a side").isEqualTo(before + 2);
            }
            assertThat(benchSchemas(url)).as("scratch schemas dropped").isEqualTo(before);
        } finally {
            execute(PostgresDatabase.DEFAULT_URL, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (var c = new org.postgresql.Driver().connect(url, new java.util.Properties());
                var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int benchSchemas(String url) throws Exception {
        // the driver itself, not DriverManager: a side's loader may have been first to ask it for drivers
        try (var c = new org.postgresql.Driver().connect(url, new java.util.Properties());
                var rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM information_schema.schemata"
                                + " WHERE schema_name LIKE 'tern\\_bench\\_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void comparesInRoundsTakingTurns() throws Exception {
        List<Path> classpath = engineClasspath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BuildAb.Options options = new BuildAb.Options(
                classpath, classpath, BuildAb.Measure.THROUGHPUT, 100, 3, 1, 16, AbRound.Via.IN_PROCESS, null, dir);
        BuildAb.Outcome outcome = BuildAb.compare(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(outcome.rounds()).isEqualTo(3);
        assertThat(outcome.variantAhead()).isBetween(0, 3);
        assertThat(outcome.ratio()).isPositive().isFinite();
        assertThat(outcome.secondRatio()).isPositive().isFinite();
        assertThat(out)
                .contains(
                        "store: SQLite (fsync on), in-process",
                        "round  1 |",
                        "round  3 |",
                        "variant/base: workflows/s");
    }

    @Test
    void comparesOneStepLatencyAtP50AndP99() throws Exception {
        List<Path> classpath = engineClasspath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BuildAb.Options options = new BuildAb.Options(
                classpath, classpath, BuildAb.Measure.LATENCY, 30, 2, 1, 1, AbRound.Via.IN_PROCESS, null, dir);
        BuildAb.Outcome outcome = BuildAb.compare(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(outcome.rounds()).isEqualTo(2);
        assertThat(outcome.ratio()).isPositive().isFinite();
        assertThat(outcome.secondRatio()).isPositive().isFinite();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("workload 2: 30 workflows a round, one step each", "µs at p50", "variant/base: µs at p50");
    }

    @Test
    void badCommandLinesAreRefusedWithTheirReason() throws Exception {
        assertThat(refusal("--rounds", "0")).contains("error: --rounds must be a whole number above 0, was '0'");
        assertThat(refusal("--base", dir.toString(), "--variant", dir.toString()))
                .contains("error: --base: no jars in " + dir);
        assertThat(refusal("--colour", "red")).contains("error: unknown option --colour");
        assertThat(refusal("--workload", "recovery"))
                .contains("error: --workload must be throughput or latency, was 'recovery'");
        assertThat(refusal("--via", "carrier-pigeon"))
                .contains("error: --via must be in-process, rest or rest-one-request, was 'carrier-pigeon'");
        assertThat(refusal("--workflows")).contains("error: --workflows needs a value");
        assertThat(refusal("--database-url", "postgres://localhost/test"))
                .contains("error: --database-url must start with jdbc:postgresql:, was 'postgres://localhost/test'");
        assertThat(refusal("--base", dir.resolve("missing").toString()))
                .contains("error: --base: no such directory " + dir.resolve("missing"))
                .doesNotContain("Exception");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(BuildAb.run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), "--help"))
                .isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: bench/ab GIT-REF");
    }

    @Test
    void aSideThatCannotStartIsReportedWithoutAStackTrace() throws Exception {
        List<Path> classpath = engineClasspath();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BuildAb.Options unreachable = new BuildAb.Options(
                classpath,
                classpath,
                BuildAb.Measure.THROUGHPUT,
                10,
                1,
                1,
                4,
                AbRound.Via.IN_PROCESS,
                "jdbc:postgresql://127.0.0.1:1/none",
                dir);
        int code = BuildAb.compareOrSay(unreachable, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("error: a side could not start: ")
                .doesNotContain("\tat ");
    }

    private static String refusal(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BuildAb.run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), args);
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }
}
