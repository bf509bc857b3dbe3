package dev.tern.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern init DIR}: writes a ready Maven project of the user's own agents: the Maven Wrapper, a {@code pom.xml} on
 * {@code tern-sdk} and {@code tern-testkit} at this Tern's version, a sample workflow and agent in the given package
 * with a test each, their {@code DefinitionsProvider} registration, and a README with its two commands.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Create a Maven project for your own agents and workflows.")
final class InitCommand implements Callable<Integer> {
    private static final Pattern ARTIFACT = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Set<String> KEYWORDS = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "_",
            "record",
            "var",
            "yield",
            "sealed",
            "permits");
    private static final String WRAPPER = "starter/wrapper/";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to create (it must not exist, or be empty).")
    Path dir;

    @Option(
            names = "--package",
            defaultValue = "com.example",
            description = "Java package of the sample code (default: ${DEFAULT-VALUE}).")
    String packageName;

    @Option(names = "--name", description = "Maven artifactId and project name (default: DIR's name).")
    String name;

    @Override
    public Integer call() {
        String artifact = name != null
                ? name
                : dir.toAbsolutePath().normalize().getFileName().toString();
        if (!ARTIFACT.matcher(artifact).matches()) {
            throw CliException.badArgument(
                    (name != null ? "--name" : "DIR's name") + " must be lower-case letters, digits and single dashes, "
                            + "starting with a letter (a Maven artifactId), was '" + artifact + "'"
                            + (name != null ? "" : "; give --name"));
        }
        checkPackage(packageName);
        checkTarget(dir);
        Map<String, String> values = Map.of(
                "package",
                packageName,
                "packagePath",
                packageName.replace('.', '/'),
                "groupId",
                packageName,
                "name",
                artifact,
                "Prefix",
                prefix(artifact),
                "ternVersion",
                ternVersion(),
                "ternCommand",
                ternCommand());
        Map<String, String> files = plan(values);
        try {
            Files.createDirectories(dir);
            for (var e : files.entrySet()) write(dir.resolve(e.getKey()), render(template(e.getValue()), values));
            for (String wrapperFile :
                    new String[] {"mvnw", "mvnw.cmd", ".mvn/wrapper/maven-wrapper.properties", "bin/find-java.sh"}) {
                write(dir.resolve(wrapperFile), template(WRAPPER + wrapperFile));
            }
            executable(dir.resolve("mvnw"));
            executable(dir.resolve("bin/find-java.sh"));
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(1, "cannot write " + dir + ": " + e.getMessage());
        }
        var out = spec.commandLine().getOut();
        out.println("Created " + artifact + " in " + dir + " (package " + packageName + ", Tern "
                + values.get("ternVersion") + ").");
        out.println("Next:");
        out.println("  cd " + dir + " && ./mvnw verify");
        out.println("  " + values.get("ternCommand") + " server --definitions " + dir.resolve("target/classes"));
        out.flush();
        return 0;
    }

    /** Destination (relative to DIR) → template resource. */
    private static Map<String, String> plan(Map<String, String> v) {
        String main = "src/main/java/" + v.get("packagePath") + "/";
        String test = "src/test/java/" + v.get("packagePath") + "/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", "starter/pom.xml.template");
        files.put("README.md", "starter/README.md.template");
        files.put(".gitignore", "starter/gitignore.template");
        files.put(main + "GreetingWorkflow.java", "starter/GreetingWorkflow.java.template");
        files.put(main + "SupportAgent.java", "starter/SupportAgent.java.template");
        files.put(main + v.get("Prefix") + "Definitions.java", "starter/Definitions.java.template");
        files.put("src/main/resources/META-INF/services/dev.tern.sdk.DefinitionsProvider", "starter/services.template");
        files.put(test + "GreetingWorkflowTest.java", "starter/GreetingWorkflowTest.java.template");
        files.put(test + "SupportAgentTest.java", "starter/SupportAgentTest.java.template");
        return files;
    }

    private static void checkPackage(String pkg) {
        for (String part : pkg.split("\\.", -1)) {
            if (!IDENTIFIER.matcher(part).matches() || KEYWORDS.contains(part)) {
                throw CliException.badArgument(
                        "--package must be a Java package name such as com.example.agents, was '" + pkg + "'");
            }
        }
    }

    private static void checkTarget(Path dir) {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) throw CliException.badArgument(dir + " exists and is not a directory");
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent())
                throw CliException.badArgument(dir + " is not empty; give a new directory");
        } catch (IOException e) {
            throw CliException.badArgument(dir + " cannot be read: " + e.getMessage());
        }
    }

    /** {@code my-agents} → {@code MyAgents}. */
    static String prefix(String artifact) {
        StringBuilder out = new StringBuilder();
        for (String part : artifact.split("-")) {
            if (part.isEmpty()) continue;
            out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return Character.isJavaIdentifierStart(out.charAt(0)) ? out.toString() : "P" + out;
    }

    private static String ternVersion() {
        Properties p = new Properties();
        try (InputStream in =
                InitCommand.class.getClassLoader().getResourceAsStream("starter/tern-version.properties")) {
            if (in == null)
                throw new CliException(1, "this Tern build has no starter templates (starter/tern-version.properties)");
            p.load(in);
        } catch (IOException e) {
            throw new CliException(1, "cannot read this Tern's version: " + e.getMessage());
        }
        return p.getProperty("version");
    }

    /**
     * How the user runs Tern: the launcher that started this process ({@code ./tern} and {@code bin/tern} set
     * {@code TERN_LAUNCHER}).
     */
    private static String ternCommand() {
        String launcher = System.getenv("TERN_LAUNCHER");
        return launcher == null || launcher.isBlank() ? "tern" : launcher;
    }

    private static String template(String resource) {
        try (InputStream in = InitCommand.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new CliException(1, "this Tern build lacks the starter file " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(String template, Map<String, String> values) {
        String out = template;
        for (var e : values.entrySet()) out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void executable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }
}
