package dev.tern.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.WorkflowHandle;

/**
 * DBOS Transact in this process on its own fresh schema of the bench's PostgreSQL database (dropped on close): runs are
 * started with {@code startWorkflow} and awaited with {@code getResult}.
 */
final class DbosContender implements Contender {
    private final PostgresDatabase database;
    private final String schema;
    private final DBOS dbos;
    private final DbosBench workflows;

    private DbosContender(PostgresDatabase database, String schema, DBOS dbos, DbosBench workflows) {
        this.database = database;
        this.schema = schema;
        this.dbos = dbos;
        this.workflows = workflows;
    }

    /** A fresh schema with DBOS launched on it. */
    static DbosContender open(PostgresDatabase database) {
        String schema = PostgresDatabase.newSchema();
        try {
            return open(database, schema);
        } catch (RuntimeException e) {
            database.dropSchema(schema);
            throw e;
        }
    }

    /** DBOS launched on {@code schema} (which may hold runs to recover); closing drops it. */
    static DbosContender open(PostgresDatabase database, String schema) {
        DBOS dbos = new DBOS(config(database, schema));
        DbosBench workflows = DbosBenchImpl.register(dbos);
        dbos.launch();
        return new DbosContender(database, schema, dbos, workflows);
    }

    static DBOSConfig config(PostgresDatabase database, String schema) {
        return DBOSConfig.defaults("tern-bench")
                .withDatabaseUrl(database.plainUrl())
                .withDbUser(database.user())
                .withDbPassword(database.password())
                .withDatabaseSchema(schema)
                .withExecutorId("bench")
                .disableAdminServer();
    }

    String schema() {
        return schema;
    }

    @Override
    public void runSteps(int index, int steps) throws Exception {
        WorkflowHandle<Integer, RuntimeException> run = dbos.startWorkflow(() -> workflows.steps(index, steps));
        int sum = run.getResult();
        if (sum != steps) throw new IllegalStateException("DBOS workflow " + run.workflowId() + " returned " + sum);
    }

    @Override
    public void runParent(int index, int children) throws Exception {
        WorkflowHandle<Integer, RuntimeException> run = dbos.startWorkflow(() -> workflows.parent(index, children));
        int sum = run.getResult();
        if (sum != children) throw new IllegalStateException("DBOS parent " + run.workflowId() + " returned " + sum);
    }

    @Override
    public void startSleeper(int index) {
        dbos.startWorkflow(() -> workflows.sleep(index));
    }

    void startWork(int index) {
        dbos.startWorkflow(() -> workflows.work(index));
    }

    /** Shuts DBOS down but keeps its schema (the recovery child is killed instead, and the parent drops it). */
    void shutdown() {
        dbos.shutdown();
    }

    @Override
    public void close() {
        try {
            dbos.close();
        } finally {
            database.dropSchema(schema);
        }
    }
}
