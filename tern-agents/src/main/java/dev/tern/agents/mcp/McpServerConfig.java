package dev.tern.agents.mcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An external MCP server Tern calls, by name: a Streamable HTTP endpoint ({@code url}) or a local process spoken to
 * over stdio ({@code command}, its arguments after it). Written on the command line as {@code NAME=URL} or
 * {@code NAME=stdio:command args}.
 */
public record McpServerConfig(String name, URI url, List<String> command) {
    private static final String NAME_PATTERN = "[A-Za-z][A-Za-z0-9_-]{0,63}";

    public McpServerConfig {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException(
                    "MCP server name '" + name + "' must be a letter, then letters, digits, '_' or '-'");
        }
        if ((url == null) == (command == null || command.isEmpty())) {
            throw new IllegalArgumentException("MCP server '" + name + "' needs a URL or a stdio command");
        }
        if (url != null
                && (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null)) {
            throw new IllegalArgumentException(
                    "MCP server '" + name + "': '" + url + "' is not an absolute http or https URL");
        }
        command = command == null ? null : List.copyOf(command);
    }

    /** Whether the server is a local process on stdio. */
    public boolean stdio() {
        return command != null;
    }

    /** Where the server is, as shown in errors and views: its URL, or {@code stdio:command}. */
    public String location() {
        return url != null ? url.toString() : "stdio:" + String.join(" ", command);
    }

    /** Reads {@code NAME=URL} or {@code NAME=stdio:command args}. */
    public static McpServerConfig parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("'" + spec + "' is not NAME=URL (or NAME=stdio:command args)");
        }
        String name = spec.substring(0, eq).trim();
        String target = spec.substring(eq + 1).trim();
        if (target.startsWith("stdio:")) {
            List<String> words = Arrays.stream(target.substring(6).trim().split("\\s+"))
                    .filter(w -> !w.isEmpty())
                    .toList();
            return new McpServerConfig(name, null, words);
        }
        try {
            return new McpServerConfig(name, URI.create(target), null);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("MCP server")) throw e;
            throw new IllegalArgumentException("MCP server '" + name + "': '" + target + "' is not a URL");
        }
    }

    /**
     * Reads a comma-separated list such as {@code TERN_MCP_SERVERS}'s, {@code name1=url1,name2=url2}; names must
     * differ.
     */
    public static List<McpServerConfig> parseAll(List<String> specs) {
        Map<String, McpServerConfig> out = new LinkedHashMap<>();
        for (String spec : specs) {
            for (String one : spec.split(",")) {
                if (one.isBlank()) continue;
                McpServerConfig config = parse(one);
                if (out.putIfAbsent(config.name(), config) != null) {
                    throw new IllegalArgumentException("MCP server '" + config.name() + "' is configured twice");
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
