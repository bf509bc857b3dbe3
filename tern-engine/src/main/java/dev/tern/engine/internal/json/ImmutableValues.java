package dev.tern.engine.internal.json;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Whether a value can never change, all the way down: a record whose components are all such values, a string, a boxed
 * number, boolean or character, an enum constant, a {@code java.time} value, a UUID, an {@link Optional} of one, or a
 * list, set or map made by {@code List.of}, {@code Set.of}, {@code Map.of} (or {@code copyOf}, or a stream's
 * {@code toList}) holding only such values. Anything else (a mutable list inside a record, an array, a JSON tree, a
 * plain object) is not, nor is a value nested deeper than {@link #MAX_DEPTH}. What holds for a value holds for as long
 * as the value lives: {@link ValueTrees} hands out again the tree of an element it finds again (the same object) on the
 * strength of it.
 */
final class ImmutableValues {
    static final int MAX_DEPTH = 64;

    /** Classes of the JDK's unmodifiable collections: their contents cannot change (their elements may). */
    private static final Set<Class<?>> FROZEN_COLLECTIONS = Set.copyOf(Stream.of(
                    List.of(),
                    List.of(1),
                    List.of(1, 2, 3),
                    Stream.of(1, 2, 3).toList(),
                    Set.of(),
                    Set.of(1),
                    Set.of(1, 2, 3),
                    Map.of(),
                    Map.of(1, 1),
                    Map.of(1, 1, 2, 2),
                    Collections.emptyList(),
                    Collections.emptySet(),
                    Collections.emptyMap())
            .map(Object::getClass)
            .toList());

    private static final Set<Class<?>> SCALARS = Set.of(
            String.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Double.class,
            Float.class,
            Boolean.class,
            Character.class,
            BigDecimal.class,
            BigInteger.class,
            UUID.class);

    /** Each record class's component accessors, or null when they cannot be called from here. */
    private static final ClassValue<MethodHandle[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            MethodHandle[] accessors = new MethodHandle[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    var accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    accessors[i] = MethodHandles.lookup().unreflect(accessor);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
            return accessors;
        }
    };

    private ImmutableValues() {}

    /** True if {@code value} can never change (null can't). */
    static boolean isImmutable(Object value) {
        return isImmutable(value, 0);
    }

    private static boolean isImmutable(Object value, int depth) {
        if (value == null) return true;
        if (depth > MAX_DEPTH) return false;
        Class<?> type = value.getClass();
        if (SCALARS.contains(type) || value instanceof Enum<?>) return true;
        if ("java.time".equals(type.getPackageName())) return true;
        if (type.isRecord()) return componentsImmutable(value, type, depth);
        if (value instanceof Optional<?> optional) return isImmutable(optional.orElse(null), depth + 1);
        if (!FROZEN_COLLECTIONS.contains(type)) return false;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!isImmutable(entry.getKey(), depth + 1) || !isImmutable(entry.getValue(), depth + 1)) return false;
            }
            return true;
        }
        for (Object element : (Collection<?>) value) if (!isImmutable(element, depth + 1)) return false;
        return true;
    }

    private static boolean componentsImmutable(Object record, Class<?> type, int depth) {
        MethodHandle[] accessors = ACCESSORS.get(type);
        if (accessors == null) return false;
        try {
            for (MethodHandle accessor : accessors) {
                if (!isImmutable(accessor.invoke(record), depth + 1)) return false;
            }
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // an accessor that throws is code, not a component: nothing to promise about it
            return false;
        }
    }
}
