package dev.tern.engine.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tern.engine.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Says why a JSON value could not be read into a type, in the client's terms: the JSON path of the field and what it
 * must be. Jackson's own messages name Java types, so they are not used.
 */
final class ReadFailures {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_SHOWN = 100;

    private ReadFailures() {}

    static Violation describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : "$";
        return new Violation(field, message(e));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            String name = ref.getFieldName();
            if (name == null) path.append('[').append(ref.getIndex()).append(']');
            else if (PLAIN_NAME.matcher(name).matches()) path.append('.').append(name);
            else path.append("['").append(name.replace("'", "\\'")).append("']");
        }
        return path.toString();
    }

    private static String message(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException) return refused(e.getCause());
        if (e.getCause() instanceof InputCoercionException c) return must(c.getTargetType(), "is out of range");
        if (e instanceof InputCoercionException c) return must(c.getTargetType(), "is out of range");
        if (e instanceof InvalidFormatException f)
            return must(f.getTargetType(), "has a value that cannot be read") + ", was " + shown(f.getValue());
        if (e instanceof MismatchedInputException m) return must(m.getTargetType(), "does not have the expected form");
        if (e instanceof JsonMappingException) return "cannot be read";
        return "is not valid JSON";
    }

    /** A constructor of the type refused the value: its own message if it is a validation message. */
    private static String refused(Throwable cause) {
        boolean validation = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
        return validation && cause.getMessage() != null ? "is not accepted: " + cause.getMessage() : "is not accepted";
    }

    private static String must(Class<?> type, String otherwise) {
        String expected = expected(type);
        return expected == null ? otherwise : "must be " + expected;
    }

    /** What a JSON value read as {@code type} must look like, or null when that cannot be said simply. */
    static String expected(Class<?> type) {
        if (type == null) return null;
        if (type == byte.class || type == Byte.class) return range(Byte.MIN_VALUE, Byte.MAX_VALUE);
        if (type == short.class || type == Short.class) return range(Short.MIN_VALUE, Short.MAX_VALUE);
        if (type == int.class || type == Integer.class) return range(Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (type == long.class || type == Long.class) return range(Long.MIN_VALUE, Long.MAX_VALUE);
        if (type == BigInteger.class) return "a whole number";
        if (type == float.class
                || type == Float.class
                || type == double.class
                || type == Double.class
                || type == BigDecimal.class) {
            return "a finite number";
        }
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == char.class || type == Character.class) return "a string of one character";
        if (type == String.class) return "a string";
        if (type.isEnum())
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .toList();
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class)
            return "an RFC 3339 timestamp such as 2026-01-01T12:00:00Z";
        if (type == LocalDate.class) return "a date such as 2026-01-31";
        if (type == LocalTime.class) return "a time such as 12:30:00";
        if (type == LocalDateTime.class) return "a date and time such as 2026-01-31T12:30:00";
        if (type == Duration.class) return "an ISO-8601 duration such as PT5M";
        if (type == UUID.class) return "a UUID";
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "an array";
        if (type.isRecord() || Map.class.isAssignableFrom(type)) return "an object";
        return null;
    }

    private static String range(long min, long max) {
        return "a whole number between " + min + " and " + max;
    }

    private static String shown(Object value) {
        if (!(value instanceof String text)) return String.valueOf(value);
        return "'" + (text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text) + "'";
    }
}
