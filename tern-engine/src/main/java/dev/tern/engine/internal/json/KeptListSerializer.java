package dev.tern.engine.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.impl.IndexedListSerializer;
import com.fasterxml.jackson.databind.ser.std.CollectionSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A list's serializer that, while {@link ValueTrees} converts a value to a tree, writes a list that begins with the
 * elements of the last list it wrote there (the same objects, all immutable) as that list's tree with only the new
 * elements' trees appended. Anywhere else (text, a list of one element or none, a polymorphic list, a list of strings
 * or a custom serializer's) it is the serializer it wraps.
 */
final class KeptListSerializer extends JsonSerializer<Object> implements ContextualSerializer, ResolvableSerializer {
    private final JsonSerializer<Object> wrapped;

    /**
     * The property whose lists this writes (null: lists that are values themselves, or elements). A property's lists of
     * any class are written alike, and the one list of the JDK's a property holds is of another class once it has three
     * elements: the lists are kept by property.
     */
    private final BeanProperty property;

    KeptListSerializer(JsonSerializer<?> wrapped) {
        this(wrapped, null);
    }

    @SuppressWarnings("unchecked")
    private KeptListSerializer(JsonSerializer<?> wrapped, BeanProperty property) {
        this.wrapped = (JsonSerializer<Object>) wrapped;
        this.property = property;
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        // one element may be written unwrapped (a property's format says so); two or more never are
        if (gen instanceof ValueTrees.Buffer buffer
                && value instanceof List<?> list
                && list.size() > 1
                && contents(provider) instanceof ValueTrees.ListWriter contents) {
            // the tree parser hands an embedded tree over as the node it is
            gen.writeEmbeddedObject(buffer.trees().listTree(property != null ? property : this, list, contents));
            return;
        }
        wrapped.serialize(value, gen, provider);
    }

    /** Writes some of a list's elements as the wrapped serializer writes them; null if it cannot. */
    private ValueTrees.ListWriter contents(SerializerProvider provider) {
        Object serializer = wrapped;
        if (serializer instanceof IndexedListSerializer indexed)
            return (part, into) -> indexed.serializeContents(part, into, provider);
        if (serializer instanceof CollectionSerializer collection)
            return (part, into) -> collection.serializeContents(part, into, provider);
        return null;
    }

    @Override
    public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider provider, TypeSerializer type)
            throws IOException {
        wrapped.serializeWithType(value, gen, provider, type);
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
            throws JsonMappingException {
        JsonSerializer<?> contextual =
                wrapped instanceof ContextualSerializer c ? c.createContextual(provider, property) : wrapped;
        if (contextual == wrapped && property == this.property) return this;
        return rewrapped(contextual, property);
    }

    @Override
    public void resolve(SerializerProvider provider) throws JsonMappingException {
        if (wrapped instanceof ResolvableSerializer r) r.resolve(provider);
    }

    @Override
    public JsonSerializer<Object> unwrappingSerializer(NameTransformer unwrapper) {
        return wrapped.unwrappingSerializer(unwrapper); // as the wrapped serializer would: nothing of its own to keep
    }

    @Override
    public JsonSerializer<Object> replaceDelegatee(JsonSerializer<?> delegatee) {
        return rewrapped(wrapped.replaceDelegatee(delegatee));
    }

    @Override
    public JsonSerializer<?> withFilterId(Object filterId) {
        return rewrapped(wrapped.withFilterId(filterId));
    }

    @Override
    public JsonSerializer<?> withIgnoredProperties(Set<String> ignoredProperties) {
        return rewrapped(wrapped.withIgnoredProperties(ignoredProperties));
    }

    private JsonSerializer<Object> rewrapped(JsonSerializer<?> changed) {
        return changed == wrapped ? this : rewrapped(changed, property);
    }

    @SuppressWarnings("unchecked")
    private JsonSerializer<Object> rewrapped(JsonSerializer<?> changed, BeanProperty in) {
        if (changed == null || changed.isUnwrappingSerializer()) return (JsonSerializer<Object>) changed;
        return new KeptListSerializer(changed, in);
    }

    @Override
    public Class<Object> handledType() {
        return wrapped.handledType();
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Object value) {
        return wrapped.isEmpty(provider, value);
    }

    @Override
    public boolean usesObjectId() {
        return wrapped.usesObjectId();
    }

    @Override
    public boolean isUnwrappingSerializer() {
        return wrapped.isUnwrappingSerializer();
    }

    @Override
    public JsonSerializer<?> getDelegatee() {
        return wrapped;
    }

    @Override
    public Iterator<PropertyWriter> properties() {
        return wrapped.properties();
    }

    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
        wrapped.acceptJsonFormatVisitor(visitor, type);
    }
}
