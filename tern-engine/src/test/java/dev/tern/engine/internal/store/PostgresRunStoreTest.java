package dev.tern.engine.internal.store;

import dev.tern.engine.PostgresTestDatabase;

/** The store contract on PostgreSQL: a fresh schema on the machine's server, shared by several nodes' stores. */
class PostgresRunStoreTest extends RunStoreContractTest {
    private final String schema = PostgresTestDatabase.newSchema();

    @Override
    RunStore open() {
        return StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    @Override
    RunStore node() {
        return StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    @Override
    void dropDatabase() {
        PostgresTestDatabase.drop(schema);
    }
}
