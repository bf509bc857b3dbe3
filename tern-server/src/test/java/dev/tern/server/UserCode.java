package dev.tern.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A user's own code as the server sees it: Java sources compiled for real (against the SDK on the test's class path)
 * into a classes directory, with resource files, and packed into a jar.
 */
final class UserCode {
    private UserCode() {}

    /**
     * Compiles {@code sources} (class name → source) into {@code dir} and writes {@code resources} (path → text) there.
     */
    static Path classes(Path dir, Map<String, String> sources, Map<String, String> resources) throws IOException {
        Path src = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-src"));
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of(
                "-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "--release", "21", "-proc:none"));
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args.toArray(String[]::new));
        if (code != 0)
            throw new IllegalStateException("user code does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        for (var e : resources.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        return dir;
    }

    /** Packs a classes directory into {@code jar}. */
    static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The service file that registers {@code providerClass} as a definitions provider. */
    static Map<String, String> provides(String providerClass) {
        return Map.of("META-INF/services/dev.tern.sdk.DefinitionsProvider", providerClass + "\n");
    }
}
