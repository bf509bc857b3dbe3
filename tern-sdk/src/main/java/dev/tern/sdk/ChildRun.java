package dev.tern.sdk;

/** A run started by another run; await it with {@link WorkflowContext#awaitChild}. */
public record ChildRun(String runId, String name) {}
