package dev.tern.engine;

/** The stores the contract tests run against. */
enum StoreKind {
    SQLITE,
    POSTGRESQL
}
