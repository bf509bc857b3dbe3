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
     * Values by name for a {@link NamedSql}; {@code null} is a value (SQL NULL). Kept in small arrays with an
     * open-addressing table of their positions by the name's hash: this runs for every statement the writer executes,
     * where a hash map's three lookups per value showed up in profiles of the writer thread, and so did the linear
     * search that replaced it (3.5% of the engine's CPU in workload 1: a checkpoint binds some thirty names, each
     * looked up once when added and once when placed). A name is matched by identity (they are literals) or by hash and
     * text. A name's home slot is its hash times the golden ratio's fraction of 2^32, top bits ({@link #home}): joined
     * statements bind families of names that differ in a last digit ({@code type1}, {@code type2}, ...), whose hashes
     * are consecutive, and the low bits of such hashes filled runs of adjacent slots that every lookup walked (three
     * slots more per lookup for a batch of 64 joined checkpoints, 0.16 with the multiplication).
     */
    static final class Params {
        /** Most statements bind a few values; those that bind dozens say so ({@link #sized}). */
        private static final int DEFAULT_CAPACITY = 8;

        private String[] names;
        private int[] hashes;
        private Object[] values;
        /**
         * Position + 1 of the name in each slot, 0 for none; at least twice the arrays' length, a power of two, so
         * never more than half full.
         */
        private int[] slots;

        private int size;

        Params() {
            this(DEFAULT_CAPACITY);
        }

        private Params(int capacity) {
            names = new String[capacity];
            hashes = new int[capacity];
            values = new Object[capacity];
            slots = new int[slotsFor(capacity)];
        }

        static Params of(String name, Object value) {
            return new Params().and(name, value);
        }

        /**
         * Empty, with room for {@code expected} values: a statement of dozens of values (a run's row, a checkpoint)
         * fills its arrays once instead of growing them two or three times, each time as garbage for the collector.
         */
        static Params sized(int expected) {
            return new Params(Math.max(DEFAULT_CAPACITY, expected));
        }

        /** How many values it holds. */
        int size() {
            return size;
        }

        /** Adds a value; giving one name two different values is refused (it would bind one of them silently). */
        Params and(String name, Object value) {
            int hash = name.hashCode();
            int slot = find(name, hash);
            if (slots[slot] != 0) {
                if (!Objects.equals(values[slots[slot] - 1], value)) {
                    throw new IllegalArgumentException("parameter :" + name + " bound twice with different values");
                }
                return this;
            }
            if (size == names.length) {
                grow(size * 2);
                slot = find(name, hash);
            }
            names[size] = name;
            hashes[size] = hash;
            values[size++] = value;
            slots[slot] = size;
            return this;
        }

        /** Adds every value of {@code other}, as {@link #and} would one by one. */
        Params andAll(Params other) {
            if (size + other.size > names.length) grow(size + other.size);
            for (int i = 0; i < other.size; i++) and(other.names[i], other.values[i]);
            return this;
        }

        Object value(String name) {
            int at = slots[find(name, name.hashCode())];
            if (at == 0) throw new IllegalArgumentException("no value for parameter :" + name);
            return values[at - 1];
        }

        /** How many slots past its home a lookup of {@code name} walks (what {@link #home} keeps small). */
        int slotsWalked(String name) {
            int hash = name.hashCode();
            return (find(name, hash) - home(hash)) & (slots.length - 1);
        }

        /** The slot holding {@code name}, or the empty slot where it would go. */
        private int find(String name, int hash) {
            int mask = slots.length - 1;
            int slot = home(hash);
            for (int at; (at = slots[slot]) != 0; slot = (slot + 1) & mask) {
                String n = names[at - 1];
                if (n == name || (hashes[at - 1] == hash && n.equals(name))) return slot;
            }
            return slot;
        }

        /** Room for {@code capacity} values, the positions hashed again. */
        private void grow(int capacity) {
            names = Arrays.copyOf(names, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            values = Arrays.copyOf(values, capacity);
            slots = new int[slotsFor(capacity)];
            int mask = slots.length - 1;
            for (int i = 0; i < size; i++) {
                int slot = home(hashes[i]);
                while (slots[slot] != 0) slot = (slot + 1) & mask;
                slots[slot] = i + 1;
            }
        }

        /** The first slot to try for a hash: Fibonacci hashing, the product's top bits for the table's size. */
        private int home(int hash) {
            return (hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(slots.length - 1);
        }

        /** A power of two at least twice {@code capacity}. */
        private static int slotsFor(int capacity) {
            return Integer.highestOneBit(Math.max(1, capacity) * 2 - 1) * 2;
        }
    }
}
