package dev.tern.engine.internal.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A statement written with {@code :name} parameters, turned once into JDBC's {@code ?} placeholders: a statement of
 * dozens of values stays readable, and each value lands where its name is. A name may appear several times (each place
 * gets the value); a {@code ::type} cast and text in single quotes are left as they are.
 */
record NamedSql(String jdbc, List<String> names) {

    NamedSql {
        names = List.copyOf(names);
    }

    static NamedSql parse(String sql) {
        StringBuilder jdbc = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') quoted = !quoted;
            if (quoted || c != ':') {
                jdbc.append(c);
            } else if (i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                jdbc.append("::");
                i++;
            } else if (i + 1 < sql.length() && Character.isLetter(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'))
                    end++;
                names.add(sql.substring(i + 1, end).intern()); // interned: Params compares by identity first
                jdbc.append('?');
                i = end - 1;
            } else {
                jdbc.append(c);
            }
        }
        return new NamedSql(jdbc.toString(), names);
    }

    /** The values in placeholder order; a name without a value is a bug in the caller, caught here. */
    Object[] args(Params params) {
        Object[] args = new Object[names.size()];
        for (int i = 0; i < args.length; i++) args[i] = params.value(names.get(i));
        return args;
    }

    /**
     * Values by name for a {@link NamedSql}; {@code null} is a value (SQL NULL). Kept in small arrays searched
     * linearly: a statement binds at most a few dozen values, and this runs for every statement the writer executes,
     * where a hash map's three lookups per value showed up in profiles of the writer thread. A name is matched by
     * identity (they are literals) or by its hash and then its text, in one pass: adding a new name, the common case,
     * compares ints only.
     */
    static final class Params {
        private String[] names = new String[8];
        private int[] hashes = new int[8];
        private Object[] values = new Object[8];
        private int size;

        static Params of(String name, Object value) {
            return new Params().and(name, value);
        }

        /** Adds a value; giving one name two different values is refused (it would bind one of them silently). */
        Params and(String name, Object value) {
            int at = indexOf(name);
            if (at >= 0) {
                if (!Objects.equals(values[at], value)) {
                    throw new IllegalArgumentException("parameter :" + name + " bound twice with different values");
                }
                return this;
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            hashes[size] = name.hashCode();
            values[size++] = value;
            return this;
        }

        Object value(String name) {
            int at = indexOf(name);
            if (at < 0) throw new IllegalArgumentException("no value for parameter :" + name);
            return values[at];
        }

        private int indexOf(String name) {
            int hash = name.hashCode();
            for (int i = 0; i < size; i++) {
                String n = names[i];
                if (n == name || (hashes[i] == hash && n.equals(name))) return i;
            }
            return -1;
        }
    }
}
