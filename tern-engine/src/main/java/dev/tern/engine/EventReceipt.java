package dev.tern.engine;

/** An event stored in a run's inbox: the run that took it and its place in that inbox. */
public record EventReceipt(String runId, String eventName, long inboxSequence) {}
