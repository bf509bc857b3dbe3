package dev.tern.engine.internal.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A PostgreSQL notification channel of one Tern store. {@code LISTEN} and {@code NOTIFY} channels belong to the
 * database, not to a schema, so each is named after the schema the connection works in ({@code current_schema()}): two
 * clusters in two schemas of one database never hear each other's signals or tokens. Statements name the channel with
 * {@link #sql()}, which the server evaluates, and listeners ask the server for the same name ({@link #listen}), so the
 * two cannot disagree.
 */
enum PostgresChannel {
    /** Work, timers, events, cancels, ends and history announcements ({@link Signal}). */
    SIGNALS("tern_signals_"),
    /** Tokens streamed by a step on one node to streams on the others ({@link PostgresTokenRelay}). */
    TOKENS("tern_tokens_");

    /** PostgreSQL's limit on an identifier, and so on a channel's name, in bytes. */
    private static final int MAX_NAME_BYTES = 63;

    private final String prefix;

    PostgresChannel(String prefix) {
        this.prefix = prefix;
    }

    /** An SQL expression for the channel's name on the connection it runs on. */
    String sql() {
        return "('" + prefix + "' || current_schema())";
    }

    /** Starts listening on {@code c} to this channel of its schema. */
    void listen(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            String name;
            try (ResultSet rs = s.executeQuery("SELECT " + sql())) {
                rs.next();
                name = rs.getString(1);
            }
            if (name == null) throw new SQLException("no schema of the connection's search path exists");
            s.execute("LISTEN \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    /**
     * Fails with a message naming {@code schema} when its name is too long for the channels' names, which PostgreSQL
     * would otherwise refuse only when the first notification is sent.
     */
    static void checkSchemaFits(String schema) {
        int longest = 0;
        for (PostgresChannel channel : values()) longest = Math.max(longest, channel.prefix.length());
        int bytes = schema.getBytes(StandardCharsets.UTF_8).length;
        if (longest + bytes > MAX_NAME_BYTES)
            throw new IllegalArgumentException("the PostgreSQL schema name '" + schema + "' is " + bytes
                    + " bytes long; Tern names its notification channels after the schema and allows at most "
                    + (MAX_NAME_BYTES - longest) + " bytes (a shorter currentSchema in the database URL)");
    }

    /** {@link #checkSchemaFits(String)} for the schema {@code pool}'s connections work in. */
    static void checkSchemaFits(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null)
                throw new IllegalStateException("none of the schemas the PostgreSQL connection searches exists");
            checkSchemaFits(schema);
        }
    }
}
