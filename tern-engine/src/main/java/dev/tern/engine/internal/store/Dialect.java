package dev.tern.engine.internal.store;

/** The few ways the SQL of the two stores differs. */
public enum Dialect {
    SQLITE("db/migration/sqlite", 21, "", ""),
    POSTGRESQL("db/migration/postgresql", 23, " FOR UPDATE SKIP LOCKED", " FOR UPDATE");

    private final String migrations;
    private final int newestMigration;
    private final String claimLock;
    private final String rowLock;

    Dialect(String migrations, int newestMigration, String claimLock, String rowLock) {
        this.migrations = migrations;
        this.newestMigration = newestMigration;
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

    /**
     * The version of the newest migration in {@link #migrations()} ({@code V<n>__...sql}): a store at it needs none
     * ({@link AppliedMigrations}). A test holds it to the folder's files.
     */
    public int newestMigration() {
        return newestMigration;
    }

    /** Appended to the claim query so concurrent claimers skip each other's rows. */
    public String claimLock() {
        return claimLock;
    }
}
