package dev.tern.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh PostgreSQL schema, first on the connection's search path; dropped on close. */
final class PostgresScratchSchema implements ScratchDatabase {
    private final PostgresDatabase database;
    private final String schema;
    private final Connection connection;

    private PostgresScratchSchema(PostgresDatabase database, String schema, Connection connection) {
        this.database = database;
        this.schema = schema;
        this.connection = connection;
    }

    static PostgresScratchSchema open(PostgresDatabase database) throws SQLException {
        String schema = PostgresDatabase.newSchema();
        Connection c = database.connect();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            return new PostgresScratchSchema(database, schema, c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            database.dropSchema(schema);
            throw e;
        }
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            System.err.println("warning: closing the connection to schema " + schema + ": " + e.getMessage());
        } finally {
            database.dropSchema(schema);
        }
    }
}
