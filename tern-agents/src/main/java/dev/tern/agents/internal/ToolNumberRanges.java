package dev.tern.agents.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import java.util.Map;

/**
 * The ranges of Java's numeric and character types in a tool's argument schema, as the engine's input schemas have
 * them: a model that sends 2^31 for an {@code int} is told so by name, instead of the tool failing to read its
 * arguments. (tern-agents stands on the SDK alone, so it keeps its own copy of the engine's table.)
 */
final class ToolNumberRanges {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
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
            Map.entry(Double.class, number(Double.MAX_VALUE)));

    private ToolNumberRanges() {}

    /** The inline schema of {@code type} if it is a number type, else null (the generator's own). */
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
}
