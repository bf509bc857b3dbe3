package dev.tern.server.auth;

import dev.tern.engine.OrgQuota;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens a server accepts and who presents each: those of a tokens file ({@link TokensFile}), and
 * {@code RESTACK_API_BEARER_TOKEN} as one more, an admin of org {@value Caller#DEFAULT_ORG} named {@code env}. With
 * neither, auth is off and every request is {@link Caller#anonymous()}.
 *
 * <p>A presented token is hashed and its SHA-256 compared with every entry's, each in constant time, with no early
 * exit. The file is re-read when its modification time, size or identity changes, looked at no more than once a second,
 * on a lookup; and on {@link #reload()}. A file that does not parse when re-read leaves the previous contents in force,
 * with a warning in the log. Tokens are never logged.
 */
public final class TokenRegistry {
    private static final Logger log = LoggerFactory.getLogger(TokenRegistry.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Where the env token comes from, as messages name it. */
    public static final String ENV_TOKEN = "RESTACK_API_BEARER_TOKEN";

    private record Contents(List<TokensFile.Entry> entries, Map<String, OrgQuota> orgs) {}

    private record Stamp(FileTime modified, long size, Object fileKey) {}

    private final Path file;
    private final TokensFile.Entry env;
    private final Object reloading = new Object();
    private final AtomicLong nextCheck = new AtomicLong();
    private volatile Contents contents;
    /** The file as last read (or tried): a change from it is re-read. */
    private volatile Stamp seen;

    private TokenRegistry(Path file, TokensFile.Entry env) {
        this.file = file;
        this.env = env;
    }

    /** No tokens: auth is off. */
    public static TokenRegistry open() {
        return of(null, null);
    }

    /**
     * The tokens of {@code file} (null: none) and {@code envToken} (null or empty: none).
     *
     * @throws TokensFileException if the file cannot be read or is not a valid tokens file; the message starts with the
     *     file's path
     */
    public static TokenRegistry of(Path file, String envToken) {
        TokensFile.Entry env = envToken == null || envToken.isEmpty()
                ? null
                : new TokensFile.Entry(TokensFile.sha256(envToken), new Caller(Caller.DEFAULT_ORG, Role.ADMIN, "env"));
        TokenRegistry registry = new TokenRegistry(file, env);
        if (file == null) {
            registry.contents = registry.withEnv(new TokensFile(List.of(), Map.of()));
        } else {
            Stamp stamp = stamp(file);
            registry.contents = registry.withEnv(registry.read());
            registry.seen = stamp;
        }
        registry.nextCheck.set(System.nanoTime() + CHECK_EVERY_NANOS);
        return registry;
    }

    /** Whether requests need a token: false when there is neither a tokens file nor an env token. */
    public boolean required() {
        return file != null || env != null;
    }

    /** The tokens file, or null. */
    public Path file() {
        return file;
    }

    /**
     * Who presents the token of an {@code Authorization: Bearer <token>} header (the scheme in any case), or empty if
     * the header is missing, of another scheme or its token unknown. With auth off, {@link Caller#anonymous()}.
     */
    public Optional<Caller> authenticate(String authorizationHeader) {
        String token = authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorizationHeader.substring(7).trim()
                : "";
        return caller(token);
    }

    /** Who presents {@code token}, or empty if it is not known. With auth off, {@link Caller#anonymous()}. */
    public Optional<Caller> caller(String token) {
        if (!required()) return Optional.of(Caller.anonymous());
        if (token == null || token.isEmpty()) return Optional.empty();
        checkFile();
        byte[] presented = TokensFile.sha256(token);
        Caller found = null;
        for (TokensFile.Entry entry : contents.entries()) {
            if (MessageDigest.isEqual(entry.sha256(), presented)) found = entry.caller();
        }
        return Optional.ofNullable(found);
    }

    /** The limits of {@code org} from the file's {@code orgs}; {@link OrgQuota#NONE} if it gives none. */
    public OrgQuota quota(String org) {
        checkFile();
        return contents.orgs().getOrDefault(org, OrgQuota.UNLIMITED);
    }

    /** Every organisation the file gives limits to, and its limits. */
    public Map<String, OrgQuota> quotas() {
        checkFile();
        return contents.orgs();
    }

    /**
     * Re-reads the tokens file now (on SIGHUP, say). True if its contents are now in force; false, with a warning in
     * the log, if it could not be read or parsed, the previous contents staying in force; false if there is no file.
     */
    public boolean reload() {
        if (file == null) return false;
        synchronized (reloading) {
            seen = stamp(file);
            Contents previous = contents;
            try {
                contents = withEnv(read());
            } catch (TokensFileException e) {
                log.warn("{}; the previous tokens stay in force", e.getMessage());
                return false;
            }
            log.info(
                    "tokens file {} re-read: {} tokens (was {}), {} organisations with limits",
                    file,
                    contents.entries().size(),
                    previous.entries().size(),
                    contents.orgs().size());
            return true;
        }
    }

    /** For the startup log line: {@code off}, {@code bearer token} or the file and its number of tokens. */
    public String describe() {
        if (!required()) return "off";
        if (file == null) return "bearer token";
        return "tokens file " + file + " (" + contents.entries().size() + " tokens)";
    }

    /** At most once a second: re-reads the file if it changed since it was last read. */
    private void checkFile() {
        if (file == null) return;
        long now = System.nanoTime();
        long next = nextCheck.get();
        if (now - next < 0 || !nextCheck.compareAndSet(next, now + CHECK_EVERY_NANOS)) return;
        if (!Objects.equals(stamp(file), seen)) reload();
    }

    private TokensFile read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException
                    ? "there is no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
            throw new TokensFileException("tokens file " + file + ": cannot be read: " + why);
        }
        try {
            return TokensFile.parse(bytes, env == null ? null : env.sha256(), ENV_TOKEN);
        } catch (TokensFileException e) {
            throw new TokensFileException("tokens file " + file + ": " + e.getMessage());
        }
    }

    private Contents withEnv(TokensFile parsed) {
        List<TokensFile.Entry> entries = new ArrayList<>(parsed.tokens());
        if (env != null) entries.add(env);
        return new Contents(List.copyOf(entries), parsed.orgs());
    }

    /** The file's modification time, size and identity, or null if it cannot be read. */
    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }
}
