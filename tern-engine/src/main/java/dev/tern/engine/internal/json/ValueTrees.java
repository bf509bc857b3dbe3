package dev.tern.engine.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the values one run hands its steps to JSON trees ({@link Json#tree}'s trees), keeping for each list it
 * writes the list's elements and tree: a list that begins with the elements of the last one written in the same place
 * (the same objects, each immutable: {@link ImmutableValues}) takes that tree's element nodes and converts only what it
 * adds. An agent's model call gets the whole conversation so far, turn after turn, in a list that grows at its end:
 * converting it was the only part of a turn's cost that grew with the conversation (every earlier message again, every
 * turn), and the trees of successive inputs now share the earlier messages' nodes, which also makes comparing one input
 * with the last ({@code AppendedArrays}) a matter of identity.
 *
 * <p>Kept nodes are shared between the trees handed out: they must not be changed, as no tree a step was given is. One
 * instance per run; safe to share between its threads.
 */
public final class ValueTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@link Json#MAPPER} whose list serializers consult the {@link ValueTrees} of the {@link Buffer} written. */
    private static final ObjectMapper MAPPER = Json.MAPPER.copy().registerModule(new SimpleModule("value-trees") {
        {
            setSerializerModifier(new BeanSerializerModifier() {
                @Override
                public JsonSerializer<?> modifyCollectionSerializer(
                        SerializationConfig config,
                        CollectionType type,
                        BeanDescription description,
                        JsonSerializer<?> serializer) {
                    return List.class.isAssignableFrom(type.getRawClass())
                            ? new KeptListSerializer(serializer)
                            : serializer;
                }
            });
        }
    });

    private static final ObjectWriter WRITER = MAPPER.writer();

    /**
     * By place (a property, or a serializer: the same list may be written differently in another place): the last list
     * written there, if all its elements are immutable. Made by the first list kept: most runs never pass one.
     */
    private Map<Object, KeptList> lists;

    /** A list's elements as it was written, and its tree. */
    private record KeptList(Object[] elements, ArrayNode tree) {}

    /** Writes part of a list's elements into a buffer, as the list's own serializer writes them. */
    interface ListWriter {
        void write(List<?> list, Buffer into) throws IOException;
    }

    /** The buffer a value is written into to become a tree, telling the list serializers whose trees to keep. */
    static final class Buffer extends TokenBuffer {
        private final ValueTrees trees;

        Buffer(ValueTrees trees) {
            super(MAPPER, false);
            this.trees = trees;
        }

        ValueTrees trees() {
            return trees;
        }
    }

    /** {@code value} as a tree, as {@link Json#tree} gives it (null for null), its lists built on the ones kept. */
    public JsonNode tree(Object value) {
        if (value == null) return null;
        Buffer buffer = new Buffer(this);
        try {
            WRITER.writeValue(buffer, value);
            return treeOf(buffer);
        } catch (IOException e) { // nothing is read or written outside memory
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The tree of what {@code buffer} holds; trees written into it whole are the tree's own nodes. */
    static JsonNode treeOf(TokenBuffer buffer) throws IOException {
        try (JsonParser parser = buffer.asParser()) {
            return MAPPER.readTree(parser);
        }
    }

    /**
     * {@code list}'s tree as {@code write} writes it, built on the tree of the last list written in the same
     * {@code place} (a property, or a serializer) if {@code list} begins with that list's elements.
     */
    synchronized ArrayNode listTree(Object place, List<?> list, ListWriter write) throws IOException {
        Object[] elements = list.toArray();
        if (lists == null) lists = new IdentityHashMap<>(4);
        KeptList last = lists.get(place);
        int kept = last != null && startsWith(elements, last.elements()) ? last.elements().length : 0;
        Buffer added = new Buffer(this);
        List<?> part = kept == 0 ? list : list.subList(kept, elements.length);
        added.writeStartArray(part, part.size());
        write.write(part, added);
        added.writeEndArray();
        ArrayNode addedTree = (ArrayNode) treeOf(added);
        ArrayNode tree = kept == 0
                ? addedTree
                : NODES.arrayNode(elements.length).addAll(last.tree()).addAll(addedTree);
        if (immutableFrom(elements, kept)) lists.put(place, new KeptList(elements, tree));
        else lists.remove(place);
        return tree;
    }

    private static boolean startsWith(Object[] elements, Object[] prefix) {
        if (prefix.length > elements.length) return false;
        for (int i = 0; i < prefix.length; i++) if (elements[i] != prefix[i]) return false;
        return true;
    }

    private static boolean immutableFrom(Object[] elements, int from) {
        for (int i = from; i < elements.length; i++) if (!ImmutableValues.isImmutable(elements[i])) return false;
        return true;
    }

    /** How many lists are kept (for tests). */
    synchronized int keptLists() {
        return lists == null ? 0 : lists.size();
    }
}
