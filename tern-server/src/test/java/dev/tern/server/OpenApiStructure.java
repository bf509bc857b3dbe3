package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Reads an OpenAPI document the way a client generator does: operations, their response schemas, {@code $ref}s
 * resolved, {@code allOf} merged. Finds what generated clients trip over: a {@code oneOf} whose branches one value can
 * match, a response field the schema does not declare, a value a generated model does not give back.
 */
final class OpenApiStructure {
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private final JsonNode doc;

    OpenApiStructure(JsonNode doc) {
        this.doc = doc;
    }

    JsonNode doc() {
        return doc;
    }

    /** Every operation as "METHOD path" to its operation object, in document order. */
    Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        doc.get("paths").fields().forEachRemaining(p -> {
            for (String method : METHODS)
                if (p.getValue().has(method))
                    out.put(
                            method.toUpperCase() + " " + p.getKey(),
                            p.getValue().get(method));
        });
        return out;
    }

    /** The path template of the document a concrete path (query ignored) falls under; the most literal wins. */
    String template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String best = null;
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (!Pattern.matches(t.replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\."), bare)) continue;
            if (best == null || literal(t) > literal(best)) best = t;
        }
        if (best == null) throw new AssertionError("no path of the document matches " + path);
        return best;
    }

    private static int literal(String template) {
        return template.replaceAll("\\{[^}]+}", "").length();
    }

    /** The schema of an operation's 200 (or 201) JSON response. */
    JsonNode responseSchema(String method, String template) {
        JsonNode responses =
                resolve(doc.get("paths").get(template).get(method.toLowerCase()).get("responses"));
        for (String code : List.of("200", "201")) {
            if (responses.has(code)) return resolve(responses.get(code)).at("/content/application~1json/schema");
        }
        throw new AssertionError(method + " " + template + " has no 200/201 response");
    }

    /** Follows {@code $ref}s within the document. */
    JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) throw new AssertionError("external $ref " + ref);
            node = doc.at(ref.substring(1));
            if (node.isMissingNode()) throw new AssertionError("$ref " + ref + " resolves to nothing");
            if (++hops > 20) throw new AssertionError("$ref cycle at " + ref);
        }
        return node;
    }

    /** The properties an object schema declares, its {@code allOf} branches' included. */
    Map<String, JsonNode> properties(JsonNode schema) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode s = resolve(schema);
        if (s.has("properties")) s.get("properties").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        if (s.has("allOf")) for (JsonNode branch : s.get("allOf")) out.putAll(properties(branch));
        return out;
    }

    /**
     * Whether values of the schema are objects free to carry any member (no declared properties, or
     * additionalProperties allowed).
     */
    private boolean openObject(JsonNode schema) {
        JsonNode s = resolve(schema);
        JsonNode additional = s.get("additionalProperties");
        if (additional != null) return !additional.isBoolean() || additional.asBoolean();
        if (s.has("allOf"))
            for (JsonNode branch : s.get("allOf"))
                if (resolve(branch).has("additionalProperties")) return openObject(branch);
        return properties(s).isEmpty() && !s.has("oneOf") && !s.has("anyOf");
    }

    /**
     * The JSON paths of members in {@code value} that its schema does not declare: a generated model drops them.
     * Objects with declared properties are closed unless they allow additional properties; a {@code oneOf} is checked
     * against the branch that declares the most of the value.
     */
    List<String> undeclared(JsonNode schema, JsonNode value, String path) {
        List<String> out = new ArrayList<>();
        walk(schema, value, path, out);
        return out;
    }

    private void walk(JsonNode schema, JsonNode value, String path, List<String> out) {
        JsonNode s = resolve(schema);
        if (s == null || value == null || value.isNull()) return;
        for (String composed : List.of("oneOf", "anyOf")) {
            if (s.has(composed)) {
                List<String> fewest = null;
                for (JsonNode branch : s.get(composed)) {
                    List<String> missing = new ArrayList<>();
                    walk(branch, value, path, missing);
                    if (fewest == null || missing.size() < fewest.size()) fewest = missing;
                }
                out.addAll(fewest);
                return;
            }
        }
        if (value.isArray()) {
            if (s.has("items"))
                for (int i = 0; i < value.size(); i++) walk(s.get("items"), value.get(i), path + "[" + i + "]", out);
            return;
        }
        if (!value.isObject()) return;
        Map<String, JsonNode> props = properties(s);
        JsonNode additional = s.get("additionalProperties");
        boolean open = openObject(s);
        value.fields().forEachRemaining(e -> {
            if (props.containsKey(e.getKey())) walk(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
            else if (additional != null && additional.isObject())
                walk(additional, e.getValue(), path + "." + e.getKey(), out);
            else if (!open) out.add(path + "." + e.getKey());
        });
    }

    /** Visits every schema object of the document (components and inline ones in paths) with its JSON pointer. */
    void eachSchema(BiConsumer<String, JsonNode> visitor) {
        visitSchemas(doc.get("components").get("schemas"), "/components/schemas", visitor);
        visitInline(doc.get("paths"), "/paths", visitor);
        if (doc.at("/components/responses").isObject())
            visitInline(doc.at("/components/responses"), "/components/responses", visitor);
        if (doc.at("/components/parameters").isObject())
            visitInline(doc.at("/components/parameters"), "/components/parameters", visitor);
    }

    private void visitInline(JsonNode node, String pointer, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String at = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (e.getKey().equals("schema") || e.getKey().equals("x-message-schema"))
                    visitSchema(e.getValue(), at, visitor);
                else visitInline(e.getValue(), at, visitor);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) visitInline(node.get(i), pointer + "/" + i, visitor);
        }
    }

    private void visitSchemas(JsonNode map, String pointer, BiConsumer<String, JsonNode> visitor) {
        map.fields().forEachRemaining(e -> visitSchema(e.getValue(), pointer + "/" + e.getKey(), visitor));
    }

    private void visitSchema(JsonNode schema, String pointer, BiConsumer<String, JsonNode> visitor) {
        if (!schema.isObject()) return;
        visitor.accept(pointer, schema);
        for (String key : List.of("properties", "$defs"))
            if (schema.has(key)) visitSchemas(schema.get(key), pointer + "/" + key, visitor);
        for (String key : List.of("items", "additionalProperties", "not"))
            if (schema.has(key)) visitSchema(schema.get(key), pointer + "/" + key, visitor);
        for (String key : List.of("allOf", "oneOf", "anyOf")) {
            if (schema.has(key))
                for (int i = 0; i < schema.get(key).size(); i++)
                    visitSchema(schema.get(key).get(i), pointer + "/" + key + "/" + i, visitor);
        }
    }

    /**
     * Why one value could match two branches of the {@code oneOf} at {@code pointer}, or null if it cannot. A generated
     * Java client (library native) deserializes a {@code oneOf} by trying every branch and needs exactly one to
     * succeed; it ignores unknown members and missing required ones, but not an enum value it does not know. So object
     * branches are told apart only by a member whose single enum value differs between them (or an explicit
     * discriminator mapping).
     */
    String overlap(String pointer, JsonNode schema) {
        JsonNode branches = schema.get("oneOf");
        boolean shapes = false;
        for (JsonNode b : branches) {
            for (String key :
                    List.of("$ref", "type", "properties", "items", "enum", "const", "allOf", "oneOf", "anyOf"))
                shapes |= b.has(key);
        }
        if (!shapes)
            return null; // only constraints on the one shape (e.g. which members are required): generators ignore them
        if (schema.has("discriminator") && schema.at("/discriminator/mapping").size() == branches.size()) return null;
        List<Map<String, String>> tags = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode b : branches) {
            JsonNode branch = resolve(b);
            String type = branch.path("type").asText(branch.has("properties") ? "object" : "");
            if (!type.equals("object")) {
                if (type.isEmpty() || !types.add(type)) return pointer + ": branch " + b + " has no distinct JSON type";
                continue;
            }
            Map<String, String> tag = new LinkedHashMap<>();
            properties(branch).forEach((name, p) -> {
                JsonNode values = resolve(p).get("enum");
                if (values != null && values.size() == 1)
                    tag.put(name, values.get(0).asText());
            });
            tags.add(tag);
        }
        for (int i = 0; i < tags.size(); i++) {
            for (int j = i + 1; j < tags.size(); j++) {
                boolean apart = false;
                for (Map.Entry<String, String> e : tags.get(i).entrySet()) {
                    String other = tags.get(j).get(e.getKey());
                    if (other != null && !other.equals(e.getValue())) apart = true;
                }
                if (!apart)
                    return pointer + ": object branches " + i + " and " + j
                            + " share no member with a different single enum value, so one object matches both";
            }
        }
        return null;
    }

    /**
     * Where {@code actual} (a generated model written back to JSON) differs from {@code expected} (what the server
     * sent): a member dropped or changed. Timestamps compare as instants, numbers by value; members the model adds are
     * fine only when null or empty (defaults of absent ones).
     */
    static List<String> differences(JsonNode expected, JsonNode actual, String path) {
        List<String> out = new ArrayList<>();
        compare(expected, actual, path, out);
        return out;
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (expected == null || expected.isNull()) {
            if (actual != null && !actual.isNull() && !(actual.isContainerNode() && actual.isEmpty()))
                out.add(path + ": not sent, but read as " + actual);
            return;
        }
        if (actual == null || actual.isNull()) {
            out.add(path + ": sent " + abbreviate(expected) + ", read as nothing");
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) compare(expected.get(name), actual.get(name), path + "." + name, out);
        } else if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size())
                out.add(path + ": " + expected.size() + " items sent, " + actual.size() + " read");
            else
                for (int i = 0; i < expected.size(); i++)
                    compare(expected.get(i), actual.get(i), path + "[" + i + "]", out);
        } else if (expected.isNumber() && actual.isNumber()) {
            if (new BigDecimal(expected.asText()).compareTo(new BigDecimal(actual.asText())) != 0)
                out.add(path + ": sent " + expected + ", read " + actual);
        } else if (expected.isTextual() && actual.isTextual()) {
            if (!expected.asText().equals(actual.asText()) && !sameInstant(expected.asText(), actual.asText())) {
                out.add(path + ": sent " + expected + ", read " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": sent " + abbreviate(expected) + ", read " + abbreviate(actual));
        }
    }

    private static boolean sameInstant(String a, String b) {
        try {
            return OffsetDateTime.parse(a)
                    .toInstant()
                    .equals(OffsetDateTime.parse(b).toInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** The leaves (scalars and empty containers) of a JSON tree by JSON pointer. */
    static Map<String, JsonNode> leaves(JsonNode node) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        leaves(node, "", out);
        return out;
    }

    private static void leaves(JsonNode node, String pointer, Map<String, JsonNode> out) {
        if (node.isContainerNode() && !node.isEmpty()) {
            if (node.isObject()) {
                ((ObjectNode) node)
                        .fields()
                        .forEachRemaining(e -> leaves(
                                e.getValue(),
                                pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
                                out));
            } else {
                for (int i = 0; i < node.size(); i++) leaves(node.get(i), pointer + "/" + i, out);
            }
        } else {
            out.put(pointer, node);
        }
    }
}
