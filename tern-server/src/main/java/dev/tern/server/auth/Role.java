package dev.tern.server.auth;

import java.util.Locale;

/**
 * What a token may do, each role allowing what the one before it does: a {@code VIEWER} reads; a {@code MEMBER} also
 * starts runs, sends events, answers, cancels and forks; an {@code ADMIN} also manages schedules and sees webhooks and
 * metrics.
 */
public enum Role {
    VIEWER,
    MEMBER,
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** As written in a tokens file and in answers: {@code viewer}, {@code member}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of that wire name, or null if there is none. */
    static Role parse(String wireName) {
        for (Role role : values()) if (role.wireName().equals(wireName)) return role;
        return null;
    }
}
