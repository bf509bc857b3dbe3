package dev.tern.engine;

/** A piece of text a step of a run streamed while it executed (a model's token): live only, never history. */
public record LiveToken(String runId, int stepSeq, int attempt, String text) {}
