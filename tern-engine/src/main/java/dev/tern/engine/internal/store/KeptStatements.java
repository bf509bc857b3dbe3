package dev.tern.engine.internal.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections that keep their prepared statements, for SQLite's readers. The SQLite driver compiles a statement's SQL
 * each time it is prepared, and the pool keeps no statements, so every read paid for its compilation: of a read of a
 * run by id (70 µs), 40 µs went to preparing it and 24 to running it and reading its row. Each connection keeps up to
 * {@link #PER_CONNECTION} idle statements by their SQL, least recently used first out; a statement closed by its user
 * is reset (its result set closed, its parameters cleared) and kept, and preparing that SQL again takes it back. A
 * statement in use is not shared: the same SQL prepared again while it is open (a read inside another's) gets a
 * statement of its own. Reset statements hold no read transaction, so a kept statement sees every commit made before it
 * runs again. The writer keeps its own ({@link Tx}); PostgreSQL's driver keeps parsed statements itself.
 */
final class KeptStatements implements DataSource {
    /** Idle statements a connection keeps: every fixed read, and the listings' statements most in use. */
    static final int PER_CONNECTION = 64;

    private final DataSource source;
    private final AtomicLong compiled = new AtomicLong();

    private KeptStatements(DataSource source) {
        this.source = source;
    }

    /** {@code source}'s connections, keeping their prepared statements. */
    static KeptStatements around(DataSource source) {
        return new KeptStatements(source);
    }

    /** How many statements the connections have prepared with the driver (taking back a kept one is not counted). */
    long compiled() {
        return compiled.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return keeping(source.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return keeping(source.getConnection(user, password));
    }

    private Connection keeping(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Kept(connection));
    }

    /** One connection's kept statements; a connection is used by one thread at a time, closed by any. */
    private final class Kept implements InvocationHandler {
        private final Connection connection;
        private final LinkedHashMap<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true);
        private boolean closed;

        Kept(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("prepareStatement") && args.length == 1) return prepare((String) args[0]);
            if (name.equals("close") && args == null) {
                close();
                return null;
            }
            return call(connection, method, args);
        }

        private synchronized PreparedStatement prepare(String sql) throws SQLException {
            if (closed) throw new SQLException("connection closed");
            PreparedStatement statement = idle.remove(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                compiled.incrementAndGet();
            }
            return (PreparedStatement) Proxy.newProxyInstance(
                    PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    new Lent(this, sql, statement));
        }

        /** Takes back a statement its user closed; closes it when there is no room or it cannot be reset. */
        synchronized void giveBack(String sql, PreparedStatement statement, ResultSet open) {
            try {
                if (open != null && !open.isClosed()) open.close();
                statement.clearParameters();
            } catch (SQLException e) {
                quietlyClose(statement);
                return;
            }
            if (closed || idle.containsKey(sql)) {
                quietlyClose(statement);
                return;
            }
            idle.put(sql, statement);
            if (idle.size() > PER_CONNECTION) {
                Iterator<PreparedStatement> eldest = idle.values().iterator();
                quietlyClose(eldest.next());
                eldest.remove();
            }
        }

        private void close() throws SQLException {
            List<PreparedStatement> kept;
            synchronized (this) {
                closed = true;
                kept = new ArrayList<>(idle.values());
                idle.clear();
            }
            kept.forEach(KeptStatements::quietlyClose);
            connection.close();
        }
    }

    /** A kept statement while its user has it: closing it gives it back. */
    private static final class Lent implements InvocationHandler {
        private final Kept owner;
        private final String sql;
        private final PreparedStatement statement;
        private ResultSet open;
        private boolean closed;

        Lent(Kept owner, String sql, PreparedStatement statement) {
            this.owner = owner;
            this.sql = sql;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (args == null) {
                switch (name) {
                    case "close" -> {
                        if (!closed) {
                            closed = true;
                            owner.giveBack(sql, statement, open);
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return closed;
                    }
                    default -> {}
                }
            }
            if (closed) throw new SQLException("statement closed");
            Object result = call(statement, method, args);
            if (result instanceof ResultSet rs) open = rs;
            return result;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void quietlyClose(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // a statement that cannot close holds nothing the connection's own close does not release
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return source.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        source.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        source.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return source.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return source.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        return source.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || source.isWrapperFor(type);
    }
}
