package dev.tern.engine.internal.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import java.util.Map;

/**
 * The schemas of Java's numeric and character types with their ranges: what JSON a value of the type can be read from.
 * Without them an {@code int} would be any integer and a {@code byte} a string, and values that passed validation would
 * fail later, when read into their record.
 */
final class NumberRanges {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * The largest float as Java prints it, 3.4028235E38: a little above its exact value, and still read as that float.
     */
    private static final double FLOAT_MAX = Double.parseDouble(Float.toString(Float.MAX_VALUE));

    private static final Map<Class<?>, ObjectNode> SCHEMAS = Map.ofEntries(
            Map.entry(byte.class, integer(Byte.MIN_VALUE, Byte.MAX_VALUE)),
            Map.entry(Byte.class, integer(Byte.MIN_VALUE, Byte.MAX_VALUE)),
            Map.entry(short.class, integer(Short.MIN_VALUE, Short.MAX_VALUE)),
            Map.entry(Short.class, integer(Short.MIN_VALUE, Short.MAX_VALUE)),
            Map.entry(int.class, integer(Integer.MIN_VALUE, Integer.MAX_VALUE)),
            Map.entry(Integer.class, integer(Integer.MIN_VALUE, Integer.MAX_VALUE)),
            Map.entry(long.class, integer(Long.MIN_VALUE, Long.MAX_VALUE)),
            Map.entry(Long.class, integer(Long.MIN_VALUE, Long.MAX_VALUE)),
            Map.entry(float.class, number(FLOAT_MAX)),
            Map.entry(Float.class, number(FLOAT_MAX)),
            Map.entry(double.class, number(Double.MAX_VALUE)),
            Map.entry(Double.class, number(Double.MAX_VALUE)),
            Map.entry(char.class, character()),
            Map.entry(Character.class, character()));

    private NumberRanges() {}

    /** The inline schema of {@code type} if it is one of these types, else null (the generator's own). */
    static CustomDefinition definitionOf(Class<?> type) {
        ObjectNode schema = SCHEMAS.get(type);
        return schema == null
                ? null
                : new CustomDefinition(
                        schema.deepCopy(),
                        CustomDefinition.DefinitionType.INLINE,
                        CustomDefinition.AttributeInclusion.YES);
    }

    private static ObjectNode integer(long min, long max) {
        return NODES.objectNode().put("type", "integer").put("minimum", min).put("maximum", max);
    }

    private static ObjectNode number(double max) {
        return NODES.objectNode().put("type", "number").put("minimum", -max).put("maximum", max);
    }

    private static ObjectNode character() {
        return NODES.objectNode().put("type", "string").put("minLength", 1).put("maxLength", 1);
    }
}
