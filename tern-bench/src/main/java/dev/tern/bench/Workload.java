package dev.tern.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The workloads, by command-line id, in the order they run. */
enum Workload {
    THROUGHPUT("throughput", "1 throughput"),
    LATENCY("latency", "2 latency"),
    STEPS("steps", "3 step overhead"),
    WAITING("waiting", "4 waiting runs"),
    /**
     * Workload 4 scheduled through the engine's batch API, {@value WaitingWorkload#BATCH} runs per call (Tern only).
     */
    WAITING_BATCH("waiting-batch", "4b waiting runs, batches"),
    RECOVERY("recovery", "5 recovery"),
    MODEL_CALL("model-call", "6 model-call overhead"),
    SCALE("scale", "7 scale curve"),
    /**
     * Workload 1 on plain and observed Tern of the same store, in alternating pairs in one JVM (only for the observed
     * systems named).
     */
    OBSERVABILITY("observability", "8 observability cost, paired"),
    /**
     * Workload 1 on Tern on PostgreSQL in-process and over REST, in alternating pairs in one JVM (for the REST systems
     * named).
     */
    REST_PAIRED("rest", "9 REST cost, paired"),
    /** Workload 1 with a document of 0, 20 and 100 KiB in each run's input (Tern in-process only). */
    INPUTS("inputs", "10 input size"),
    /** Runs whose steps each get the conversation so far, as an agent's model calls do (Tern in-process only). */
    CONVERSATION("conversation", "11 conversation"),
    /** Parents that start child workflows and await them (Tern in-process and DBOS). */
    CHILDREN("children", "12 children");

    private final String id;
    private final String label;

    Workload(String id, String label) {
        this.id = id;
        this.label = label;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) return w;
        }
        return null;
    }

    static String allIds() {
        return Arrays.stream(values()).map(Workload::id).collect(Collectors.joining(","));
    }
}
