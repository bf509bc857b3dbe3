package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL server's CPU read from {@code /proc}: which server counts, which processes, which fields. */
class ServerCpuTest {
    @Test
    void countsTheLocalServersWorkAsItHappens() throws Exception {
        ServerCpu cpu = ServerCpu.local(PostgresDatabase.DEFAULT_URL);
        assertThat(cpu).as("the test database runs on this machine").isNotNull();
        long before = cpu.nanos();
        try (Connection c = new PostgresDatabase(PostgresDatabase.DEFAULT_URL).connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM generate_series(1, 5000000)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5_000_000);
            // counting five million rows takes the server a few hundred milliseconds of CPU, the bench's process
            // little; read while the connection's server process lives (once it exits, its time reaches its parent's
            // count of exited children only when the parent has reaped it, which may come after this read)
            assertThat(cpu.nanos() - before).isGreaterThan(100_000_000L);
        }
    }

    @Test
    void aServerElsewhereIsNotMeasured() {
        assertThat(ServerCpu.host("jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
                .isEqualTo("127.0.0.1");
        assertThat(ServerCpu.host("jdbc:postgresql://db.example.com/test")).isEqualTo("db.example.com");
        assertThat(ServerCpu.host("jdbc:sqlite:/tmp/x.db")).isNull();
        assertThat(ServerCpu.local("jdbc:postgresql://db.example.com:5432/test"))
                .isNull();
    }

    @Test
    void readsAPostgresProcesssFourTimesAndNoOtherProcess(@TempDir Path dir) throws Exception {
        // /proc/<pid>/stat: pid, (name), state, then numbers; utime, stime, cutime, cstime are fields 14-17
        Path postgres = dir.resolve("postgres-stat");
        Files.writeString(postgres, "4242 (postgres) S 1 4242 4242 0 -1 4194560 900 0 0 0 11 22 33 44 20 0 1 0 5\n");
        Path other = dir.resolve("java-stat");
        Files.writeString(other, "4243 (java) S 1 4243 4243 0 -1 4194560 900 0 0 0 11 22 33 44 20 0 1 0 5\n");

        assertThat(ServerCpu.times(postgres)).containsExactly(11, 22, 33, 44);
        assertThat(ServerCpu.times(other)).isNull();
        assertThat(ServerCpu.times(dir.resolve("gone"))).isNull();
    }
}
