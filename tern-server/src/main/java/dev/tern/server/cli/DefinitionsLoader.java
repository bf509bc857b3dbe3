package dev.tern.server.cli;

import dev.tern.examples.Demo;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.DefinitionsProvider;
import dev.tern.sdk.RunnableDefinition;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * Loads the user's definitions for {@code tern server --definitions PATH…}: every path (a jar or a classes directory)
 * goes on one class loader whose parent is the server's (so the SDK's types are shared), and every
 * {@link DefinitionsProvider} that a path lists in its {@code META-INF/services} file is asked for its definitions.
 * Whatever cannot be loaded is a start-up error naming the path (and the name, for a name defined twice): exit code 2.
 */
final class DefinitionsLoader {
    static final String SERVICE_FILE = "META-INF/services/" + DefinitionsProvider.class.getName();

    private DefinitionsLoader() {}

    /** The definitions of every provider found in {@code paths}, all names distinct. */
    static Definitions load(List<Path> paths) {
        List<Path> absolute = new ArrayList<>();
        for (Path path : paths) absolute.add(checked(path));
        URLClassLoader loader =
                new URLClassLoader("tern-definitions", urls(absolute), DefinitionsLoader.class.getClassLoader());
        Map<Path, List<DefinitionsProvider>> byPath = new LinkedHashMap<>();
        absolute.forEach(p -> byPath.put(p, new ArrayList<>()));
        try {
            for (ServiceLoader.Provider<DefinitionsProvider> provider :
                    ServiceLoader.load(DefinitionsProvider.class, loader).stream()
                            .toList()) {
                if (provider.type().getClassLoader() != loader)
                    continue; // the server's own classpath, not the user's code
                Path from = origin(provider.type(), absolute);
                byPath.computeIfAbsent(from, p -> new ArrayList<>()).add(instance(provider, from));
            }
        } catch (ServiceConfigurationError e) {
            throw failure(describe(absolute) + ": a " + SERVICE_FILE + " entry cannot be loaded: " + cleaned(e));
        }
        Map<String, Path> owners = new LinkedHashMap<>();
        Definitions.Builder all = Definitions.builder();
        byPath.forEach((path, providers) -> {
            if (providers.isEmpty()) {
                throw failure(path + " defines nothing: it has no " + SERVICE_FILE + " naming a "
                        + DefinitionsProvider.class.getName());
            }
            int found = 0;
            for (DefinitionsProvider provider : providers) {
                Definitions definitions = definitions(provider, path);
                for (RunnableDefinition d : definitions.runnables()) claim(owners, d.name(), path);
                for (var f : definitions.functions()) claim(owners, "function " + f.name(), path);
                all.addAll(definitions);
                found +=
                        definitions.runnables().size() + definitions.functions().size();
            }
            if (found == 0)
                throw failure(path + " defines nothing: its providers returned no workflow, agent or function");
        });
        return all.build();
    }

    private static Path checked(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) return p;
        if (!Files.isRegularFile(p)) throw failure(path + " does not exist (give a jar or a classes directory)");
        try (JarFile ignored = new JarFile(p.toFile())) {
            return p;
        } catch (IOException e) {
            throw failure(path + " is not a readable jar: " + e.getMessage());
        }
    }

    private static URL[] urls(List<Path> paths) {
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = paths.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw failure(paths.get(i) + " cannot be put on a class path: " + e.getMessage());
            }
        }
        return urls;
    }

    /** Which of the given paths a provider's class came from. */
    private static Path origin(Class<?> type, List<Path> paths) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                Path location =
                        Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
                for (Path p : paths) if (p.equals(location)) return p;
            } catch (URISyntaxException | IllegalArgumentException ignored) {
                // fall through: attribute it to the first path
            }
        }
        return paths.get(0);
    }

    /**
     * What a server serves: the definitions at {@code paths}, with the demo's when {@code withDemo} or when no path is
     * given. Revisions of one name side by side come from one code base: a name both the demo and the user's code
     * define is a clash (exit code 2).
     */
    static Definitions served(List<Path> paths, boolean withDemo) {
        if (paths.isEmpty()) return Demo.definitions();
        Definitions loaded = load(paths);
        if (!withDemo) return loaded;
        Definitions demos = Demo.definitions();
        for (RunnableDefinition d : loaded.runnables()) {
            if (demos.runnable(d.name()).isPresent())
                throw failure("'" + d.name() + "' is defined twice (by the demo and by " + paths + ")");
        }
        try {
            return Definitions.builder().addAll(demos).addAll(loaded).build();
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage() + " (by the demo and by " + paths + ")");
        }
    }

    private static DefinitionsProvider instance(ServiceLoader.Provider<DefinitionsProvider> provider, Path path) {
        try {
            return provider.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw failure(path + ": provider " + provider.type().getName() + " cannot be created: " + cleaned(e));
        }
    }

    private static Definitions definitions(DefinitionsProvider provider, Path path) {
        try {
            Definitions d = provider.definitions();
            if (d == null)
                throw failure(path + ": provider " + provider.getClass().getName() + " returned no definitions (null)");
            return d;
        } catch (CliException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw failure(path + ": provider " + provider.getClass().getName() + " failed: " + cleaned(e));
        }
    }

    private static void claim(Map<String, Path> owners, String name, Path path) {
        Path earlier = owners.putIfAbsent(name, path);
        if (earlier == null) return;
        String quoted = name.startsWith("function ") ? "function '" + name.substring(9) + "'" : "'" + name + "'";
        throw failure(
                quoted + " is defined twice: in " + earlier + (earlier.equals(path) ? " (twice)" : " and in " + path));
    }

    private static String describe(List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : paths.toString();
    }

    /** The innermost message of an error, for a start-up line a person reads. */
    private static String cleaned(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static CliException failure(String message) {
        return new CliException(2, "cannot load definitions: " + message);
    }
}
