package dev.tern.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One build of Tern in {@link BuildAb}'s JVM: its jars (the engine and everything it depends on) in a class loader of
 * their own, under this bench's classes, which both sides share so that only the engine differs. The loader's parent is
 * the platform loader: nothing of Tern or its libraries is shared between the sides, statics included.
 */
final class BuildSide implements AutoCloseable {
    private final URLClassLoader loader;
    private final AutoCloseable rounds;
    private final Method throughput;
    private final Method latency;

    private BuildSide(URLClassLoader loader, AutoCloseable rounds) throws NoSuchMethodException {
        this.loader = loader;
        this.rounds = rounds;
        this.throughput = rounds.getClass().getMethod("throughput", int.class);
        this.latency = rounds.getClass().getMethod("latency", int.class);
    }

    /**
     * Opens {@code name}'s side: the bench classes at {@code benchClasses} over {@code classpath} (the build's jars or
     * class directories, {@link #jarsIn}), with an {@link AbRound} on a fresh store (SQLite under {@code dataDir}, or
     * PostgreSQL at {@code postgresUrl}), reached {@code via} in process or through REST.
     */
    static BuildSide open(
            String name,
            URL benchClasses,
            List<Path> classpath,
            Path dataDir,
            String postgresUrl,
            int inFlight,
            AbRound.Via via)
            throws ReflectiveOperationException {
        if (classpath.stream().noneMatch(p -> p.toString().contains("tern-engine"))) {
            throw new IllegalArgumentException("the classpath of " + name + " holds no tern-engine");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(benchClasses);
        for (Path p : classpath) urls.add(url(p));
        URLClassLoader loader =
                new URLClassLoader("build-" + name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // libraries that look up services by the context loader find this side's
        try {
            Object round = loader.loadClass(AbRound.class.getName())
                    .getConstructor(String.class, String.class, int.class, String.class)
                    .newInstance(dataDir.toString(), postgresUrl, inFlight, via.id());
            return new BuildSide(loader, (AutoCloseable) round);
        } catch (ReflectiveOperationException | RuntimeException e) {
            closeQuietly(loader);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The jars in the directory {@code libDir} (a build's {@code tern-bench/target/lib}). */
    static List<Path> jarsIn(Path libDir) throws IOException {
        try (Stream<Path> files = Files.list(libDir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // the side failed to open; its loader's jars are closed with the process
        }
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(p.toString(), e);
        }
    }

    /** What this side drives: the engine in process or its REST server ({@link AbRound#toString}). */
    String contender() {
        return rounds.toString();
    }

    /** The class loader this side's engine runs in. */
    ClassLoader loader() {
        return loader;
    }

    /** Runs {@code workflows} workflows of workload 1: {@code {workflows/s, CPU µs a workflow}}. */
    double[] round(int workflows) throws Exception {
        return call(throughput, workflows);
    }

    /** Runs {@code workflows} one-step workflows in sequence (workload 2): {@code {p50 µs, p99 µs}}. */
    double[] latencyRound(int workflows) throws Exception {
        return call(latency, workflows);
    }

    private double[] call(Method m, int workflows) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return (double[]) m.invoke(rounds, workflows);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            rounds.close();
        } finally {
            loader.close();
        }
    }
}
