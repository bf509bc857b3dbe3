package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store lets its write-ahead log grow to 8,000 pages before a commit copies them into the database (SQLite
 * would at 1,000), and still copies them then: the log's file, which never shrinks, grows past 1,000 pages and stays
 * under 8,000 and a commit's worth, and its header counts the times it started over.
 */
class SqliteCheckpointTest {
    record Count(int n) {}

    static final WorkflowDefinition<Count, Count> ADD = WorkflowDefinition.of(
            "add", Count.class, Count.class, (ctx, in) -> new Count(ctx.step("add", Integer.class, () -> in.n() + 1)));

    /** A log frame: its 24-byte header and a page of the store's default 4,096 bytes. */
    static final int FRAME = 24 + 4096;

    static final int WAL_HEADER = 32;

    @TempDir
    Path dir;

    @Test
    void theLogGrowsToEightThousandPagesThenStartsOver() throws Exception {
        Path wal = dir.resolve("tern.db-wal");
        long mostFrames = 0;
        long restarts = 0;
        int runs = 0;
        try (TernEngine engine = TernEngine.start(
                        EngineConfig.embedded(dir).withFsync(false),
                        Definitions.builder().workflow(ADD).build());
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            while (restarts < 2 && runs < 200_000) {
                List<Future<RunRecord>> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    int n = runs + i;
                    batch.add(clients.submit(
                            () -> engine.awaitCompletion(engine.start("add", new Count(n)), Duration.ofSeconds(30))));
                }
                for (Future<RunRecord> f : batch) assertThat(f.get().status()).isEqualTo(RunStatus.COMPLETED);
                runs += batch.size();
                mostFrames = Math.max(mostFrames, (Files.size(wal) - WAL_HEADER) / FRAME);
                restarts = restarts(wal);
            }
            assertThat(engine.runs(new RunQuery(null, null, null, 1, null)).runs())
                    .hasSize(1);
        }
        assertThat(restarts).as("the log started over, in %d runs", runs).isGreaterThanOrEqualTo(2);
        assertThat(mostFrames)
                .as("the largest the log grew, in frames")
                .isGreaterThan(4_000)
                .isLessThan(8_000 + 2_000);
    }

    /** The log header's checkpoint sequence: how often the log started over from its beginning. */
    static long restarts(Path wal) throws IOException {
        if (!Files.exists(wal)) return 0;
        try (FileChannel channel = FileChannel.open(wal)) {
            ByteBuffer header = ByteBuffer.allocate(WAL_HEADER);
            if (channel.read(header, 0) < WAL_HEADER) return 0;
            return Integer.toUnsignedLong(header.getInt(12));
        }
    }
}
