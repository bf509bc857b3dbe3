package dev.tern.server.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tern.engine.OrgQuota;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed contents of a tokens file:
 *
 * <pre>{@code
 * {"tokens": [{"token": "…" | "tokenSha256": "<64 hex>", "org": "acme", "role": "admin" | "member" | "viewer",
 *              "name": "ci"}],
 *  "orgs": {"acme": {"maxActiveRuns": 50, "schedulesPerSecond": 5}}}
 * }</pre>
 *
 * Parsed strictly: an unknown or repeated member, a wrong type, a bad role, org name or digest, an entry with both or
 * neither of {@code token} and {@code tokenSha256}, or one token given twice is an error naming the entry and field.
 * Plain tokens are kept only as their SHA-256; no message ever holds a token.
 *
 * @param tokens the entries, in file order
 * @param orgs each organisation's limits, as the file gives them
 */
record TokensFile(List<Entry> tokens, Map<String, OrgQuota> orgs) {
    /** A token's SHA-256 and who presents it. */
    record Entry(byte[] sha256, Caller caller) {}

    static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> TOP = Set.of("tokens", "orgs");
    private static final Set<String> ENTRY = Set.of("token", "tokenSha256", "org", "role", "name");
    private static final Set<String> QUOTA = Set.of("maxActiveRuns", "schedulesPerSecond");
    private static final ObjectReader READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Parses a file's bytes; {@code reserved} is the SHA-256 of a token configured elsewhere (named
     * {@code reservedName}) that no entry may repeat, or null.
     */
    static TokensFile parse(byte[] json, byte[] reserved, String reservedName) {
        JsonNode root = read(json);
        if (root == null || root.isMissingNode())
            throw new TokensFileException("the file is empty; it needs {\"tokens\": [...]}");
        if (!root.isObject()) throw new TokensFileException("must be a JSON object {\"tokens\": [...]}");
        onlyKnown(root, TOP, "");
        JsonNode tokens = root.get("tokens");
        if (tokens == null) throw new TokensFileException("tokens: is required (an array of tokens)");
        if (!tokens.isArray()) throw new TokensFileException("tokens: must be an array");
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Entry entry = entry(tokens.get(i), "tokens[" + i + "]");
            for (int j = 0; j < entries.size(); j++) {
                if (MessageDigest.isEqual(entries.get(j).sha256(), entry.sha256()))
                    throw new TokensFileException("tokens[" + i + "]: the same token as tokens[" + j + "]");
            }
            if (reserved != null && MessageDigest.isEqual(reserved, entry.sha256()))
                throw new TokensFileException("tokens[" + i + "]: the same token as " + reservedName);
            entries.add(entry);
        }
        return new TokensFile(List.copyOf(entries), orgs(root.get("orgs")));
    }

    private static JsonNode read(byte[] json) {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the text it choked on, which may be a token: only where, and duplicates
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field "))
                throw new TokensFileException(original.replace("Duplicate field", "a member is repeated:") + where);
            throw new TokensFileException("not valid JSON" + where);
        } catch (IOException e) {
            throw new TokensFileException("cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static Entry entry(JsonNode node, String at) {
        if (!node.isObject()) throw new TokensFileException(at + ": must be an object {\"token\", \"org\", \"role\"}");
        onlyKnown(node, ENTRY, at + ".");
        JsonNode token = node.get("token");
        JsonNode hash = node.get("tokenSha256");
        if (token != null && hash != null)
            throw new TokensFileException(at + ": has both token and tokenSha256; give one of them");
        if (token == null && hash == null)
            throw new TokensFileException(at + ": needs token or tokenSha256 (the SHA-256 of the token, in hex)");
        byte[] sha256;
        if (token != null) {
            if (!token.isTextual() || token.asText().isEmpty() || !printable(token.asText()))
                throw new TokensFileException(
                        at + ".token: must be a non-empty string without spaces or control characters");
            sha256 = sha256(token.asText());
        } else {
            if (!hash.isTextual() || !SHA256_HEX.matcher(hash.asText()).matches())
                throw new TokensFileException(
                        at + ".tokenSha256: must be 64 hexadecimal digits, the SHA-256 of the token");
            sha256 = HexFormat.of().parseHex(hash.asText().toLowerCase(java.util.Locale.ROOT));
        }
        String org = text(node, "org", at);
        if (!ORG.matcher(org).matches())
            throw new TokensFileException(at + ".org: must match ^" + ORG.pattern() + "$, was " + quoted(org));
        String roleName = text(node, "role", at);
        Role role = Role.parse(roleName);
        if (role == null)
            throw new TokensFileException(at + ".role: must be admin, member or viewer, was " + quoted(roleName));
        String name;
        if (node.has("name")) {
            JsonNode n = node.get("name");
            if (!n.isTextual()
                    || n.asText().isBlank()
                    || n.asText().length() > 100
                    || n.asText().chars().anyMatch(Character::isISOControl))
                throw new TokensFileException(at + ".name: must be a string of 1 to 100 characters, no control ones");
            name = n.asText().strip();
        } else {
            // the file order may change: a prefix of the digest names the entry the same way across edits
            name = "sha256:" + HexFormat.of().formatHex(sha256, 0, 4);
        }
        return new Entry(sha256, new Caller(org, role, name));
    }

    private static Map<String, OrgQuota> orgs(JsonNode orgs) {
        Map<String, OrgQuota> out = new LinkedHashMap<>();
        if (orgs == null) return Map.of();
        if (!orgs.isObject())
            throw new TokensFileException("orgs: must be an object of organisations, e.g. {\"acme\": {…}}");
        for (Iterator<Map.Entry<String, JsonNode>> it = orgs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "orgs." + e.getKey();
            if (!ORG.matcher(e.getKey()).matches())
                throw new TokensFileException(
                        "orgs: " + quoted(e.getKey()) + " is not an organisation name (^" + ORG.pattern() + "$)");
            JsonNode quota = e.getValue();
            if (!quota.isObject())
                throw new TokensFileException(at + ": must be an object {\"maxActiveRuns\", \"schedulesPerSecond\"}");
            onlyKnown(quota, QUOTA, at + ".");
            Integer maxActive = null;
            JsonNode max = quota.get("maxActiveRuns");
            if (max != null && !max.isNull()) {
                if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 0)
                    throw new TokensFileException(at + ".maxActiveRuns: must be a whole number, 0 or more");
                maxActive = max.intValue();
            }
            Double perSecond = null;
            JsonNode rate = quota.get("schedulesPerSecond");
            if (rate != null && !rate.isNull()) {
                if (!rate.isNumber() || !(rate.doubleValue() > 0) || !Double.isFinite(rate.doubleValue()))
                    throw new TokensFileException(at + ".schedulesPerSecond: must be a number above 0");
                perSecond = rate.doubleValue();
            }
            out.put(e.getKey(), new OrgQuota(maxActive, perSecond));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String at) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field))
                throw new TokensFileException(at + field + ": unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) throw new TokensFileException(at + "." + field + ": is required");
        if (!value.isTextual()) throw new TokensFileException(at + "." + field + ": must be a string");
        return value.asText();
    }

    private static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    private static String quoted(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** The SHA-256 of a token's UTF-8 bytes. */
    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
