package dev.tern.engine.internal.store;

/** The few ways the SQL of the two stores differs. */
public enum Dialect {
    SQLITE("db/migration/sqlite", "", ""),
    POSTGRESQL("db/migration/postgresql", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");

    private final String migrations;
    private final String claimLock;
    private final String rowLock;

    Dialect(String migrations, String claimLock, String rowLock) {
        this.migrations = migrations;
        this.claimLock = claimLock;
        this.rowLock = rowLock;
    }

    /** Appended to a select whose row the transaction must hold until it commits (SQLite has one writer anyway). */
    public String rowLock() {
        return rowLock;
    }

    /** Classpath folder of this dialect's Flyway migrations. */
    public String migrations() {
        return migrations;
    }

    /** Appended to the claim query so concurrent claimers skip each other's rows. */
    public String claimLock() {
        return claimLock;
    }
}
