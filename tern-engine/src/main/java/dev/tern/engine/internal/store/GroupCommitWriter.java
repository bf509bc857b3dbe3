package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread takes every write waiting in its queue and commits them in one
 * transaction, so many runs' checkpoints share one fsync. Writes run in submission order; a
 * write's future completes once its transaction is durable. If a batch fails, its writes are
 * retried one per transaction so one bad write cannot fail the others.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  @FunctionalInterface
  interface Work<T> {
    T apply(Tx tx) throws SQLException;
  }

  /**
   * {@code lazy}: nobody waits for it, so it may wait a little for company (see {@link #submitLazy});
   * {@code obsolete}: true once another write has taken it over. {@code single}: it is one statement.
   */
  private record Pending<T>(Work<T> work, CompletableFuture<T> future, boolean lazy, BooleanSupplier obsolete, boolean single) {
    Pending(Work<T> work, CompletableFuture<T> future) {
      this(work, future, false, () -> false, false);
    }

    void complete(Object value) {
      @SuppressWarnings("unchecked") T typed = (T) value;
      future.complete(typed);
    }
  }

  private static final Pending<Void> STOP = new Pending<>(tx -> null, new CompletableFuture<>());

  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final ConnectionSource connections;
  private final boolean autocommitSingles;
  private final int maxBatch;
  private final Thread thread;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private Tx tx;
  private volatile boolean closed;
  private volatile Consumer<Set<String>> historyListener = runs -> { };

  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /**
   * {@code autocommitSingles}: a batch of one single-statement write runs without an explicit
   * transaction, sparing the round trip of its commit (PostgreSQL; one statement is atomic).
   */
  GroupCommitWriter(ConnectionSource connections, int maxBatch, String name, boolean autocommitSingles) {
    this.connections = connections;
    this.maxBatch = maxBatch;
    this.autocommitSingles = autocommitSingles;
    this.thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  <T> CompletableFuture<T> submit(Work<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(new IllegalStateException("store is closed"));
      return future;
    }
    queue.add(new Pending<>(work, future));
    return future;
  }

  /** Like {@link #submit}, for a write that is exactly one SQL statement. */
  <T> CompletableFuture<T> submitSingle(Work<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(new IllegalStateException("store is closed"));
      return future;
    }
    queue.add(new Pending<>(work, future, false, () -> false, true));
    return future;
  }

  /**
   * After each commit, hands the ids of runs whose history grew to {@code listener} (other nodes
   * learn of it from PostgreSQL: a trigger on the history table notifies them).
   */
  void onHistory(Consumer<Set<String>> listener) {
    this.historyListener = listener;
  }

  /** Writes committed and transactions used so far: their ratio is the mean batch size. */
  long[] counters() {
    return new long[] {writes.get(), batches.get()};
  }

  /** How long a batch of only lazy writes waits for another write to share its commit. */
  static final long LAZY_LINGER_NANOS = 2_000_000;

  /**
   * Like {@link #submit}, for a write nobody waits on (e.g. a step's "started" history event): when
   * the writer finds only lazy writes queued it waits up to {@link #LAZY_LINGER_NANOS} for another
   * write, so a quick step's "started" and "completed" share one commit instead of two. Order is
   * kept: the lazy write still commits before anything submitted after it. Once {@code obsolete}
   * says a later write took it over, it is dropped (its future completes with null).
   */
  <T> CompletableFuture<T> submitLazy(Work<T> work, BooleanSupplier obsolete) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(new IllegalStateException("store is closed"));
      return future;
    }
    queue.add(new Pending<>(work, future, true, obsolete, false));
    return future;
  }

  private void loop() {
    List<Pending<?>> batch = new ArrayList<>(maxBatch);
    while (true) {
      try {
        Pending<?> first = queue.take();
        if (first == STOP) break;
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        if (batch.size() < maxBatch && batch.stream().allMatch(Pending::lazy)) {
          Pending<?> next = queue.poll(LAZY_LINGER_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
          if (next != null) {
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
          }
        }
        boolean stop = batch.remove(STOP);
        batch.removeIf(p -> p.obsolete().getAsBoolean() && p.future().complete(null));
        if (batch.size() == 1 && batch.get(0).single() && autocommitSingles) commitAlone(batch.get(0));
        else if (!batch.isEmpty()) commit(batch);
        batch.clear();
        if (stop) break;
      } catch (InterruptedException e) {
        break;
      }
    }
    for (Pending<?> p : queue) p.future().completeExceptionally(new IllegalStateException("store is closed"));
    closeConnection();
  }

  private void commit(List<Pending<?>> batch) {
    Object[] results = new Object[batch.size()];
    try {
      Tx t = tx();
      for (int i = 0; i < batch.size(); i++) results[i] = batch.get(i).work().apply(t);
      Set<String> changed = t.drainHistoryChanged();
      t.connection().commit();
      batches.incrementAndGet();
      writes.addAndGet(batch.size());
      for (int i = 0; i < batch.size(); i++) batch.get(i).complete(results[i]);
      if (!changed.isEmpty()) tellHistoryListener(changed);
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (batch.size() == 1 || tx == null) {
        for (Pending<?> p : batch) fail(p, e);
        return;
      }
      for (Pending<?> p : batch) commit(List.of(p));
    }
  }

  /** Runs a one-statement write in autocommit mode: the statement commits itself, one round trip instead of two. */
  private void commitAlone(Pending<?> p) {
    try {
      Tx t = tx();
      Object result;
      t.connection().setAutoCommit(true);
      try {
        result = p.work().apply(t);
      } finally {
        t.connection().setAutoCommit(false);
      }
      Set<String> changed = t.drainHistoryChanged();
      batches.incrementAndGet();
      writes.incrementAndGet();
      p.complete(result);
      if (!changed.isEmpty()) tellHistoryListener(changed);
    } catch (SQLException | RuntimeException e) {
      if (tx != null) tx.drainHistoryChanged();
      fail(p, e);
    }
  }

  private void fail(Pending<?> pending, Exception e) {
    if (e instanceof SQLException) {
      log.warn("store write failed: {}", e.getMessage());
      closeConnection();
      pending.future().completeExceptionally(new StoreException("store write failed: " + e.getMessage(), e));
      return;
    }
    pending.future().completeExceptionally(e);
  }

  private Tx tx() throws SQLException {
    if (tx == null) {
      Connection c = connections.open();
      c.setAutoCommit(false);
      tx = new Tx(c);
    }
    return tx;
  }

  private void tellHistoryListener(Set<String> runs) {
    try {
      historyListener.accept(runs);
    } catch (RuntimeException e) {
      log.warn("history listener failed: {}", e.toString());
    }
  }

  private void rollback() {
    if (tx == null) return;
    tx.drainHistoryChanged();
    try {
      tx.connection().rollback();
    } catch (SQLException e) {
      closeConnection();
    }
  }

  private void closeConnection() {
    if (tx == null) return;
    tx.closeStatements();
    try {
      tx.connection().close();
    } catch (SQLException ignored) {
      // already broken
    }
    tx = null;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    queue.add(STOP);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
