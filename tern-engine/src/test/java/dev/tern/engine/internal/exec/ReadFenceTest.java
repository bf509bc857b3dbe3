package dev.tern.engine.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run's thread interrupted while it reads from a socket (as a store read through the database driver does): with the
 * fence the read completes on an open socket and the interrupt arrives after it; without it, the interrupt closes the
 * socket under the read.
 */
class ReadFenceTest {

    @Test
    void anInterruptDuringAFencedReadWaitsForTheReadAndKeepsTheSocketOpen() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            ReadFence fence = new ReadFence();
            CountDownLatch reading = new CountDownLatch(1);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                fence.enter();
                try {
                    int b = ReadFence.read(() -> {
                        reading.countDown();
                        return readByte(client);
                    });
                    outcome.complete("read " + b + ", interrupted after: "
                            + Thread.currentThread().isInterrupted());
                } catch (RuntimeException e) {
                    outcome.complete("failed: " + e.getMessage());
                } finally {
                    fence.exit();
                }
            });
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // let the read block in the socket
            fence.interrupt();
            Thread.sleep(100);
            peer.getOutputStream().write(42);
            peer.getOutputStream().flush();
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("read 42, interrupted after: true");
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void withoutTheFenceTheSameInterruptClosesTheSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            CountDownLatch reading = new CountDownLatch(1);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    reading.countDown();
                    outcome.complete("read " + readByte(client));
                } catch (RuntimeException e) {
                    outcome.complete("failed");
                }
            });
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            reader.interrupt();
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("failed");
            assertThat(client.isClosed()).isTrue();
        }
    }

    @Test
    void anInterruptOutsideAReadIsDeliveredAtOnce() throws Exception {
        ReadFence fence = new ReadFence();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            fence.enter();
            entered.countDown();
            try {
                Thread.sleep(10_000);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            } finally {
                fence.exit();
            }
        });
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        fence.interrupt();
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
    }

    private static int readByte(Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
