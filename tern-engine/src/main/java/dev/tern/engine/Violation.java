package dev.tern.engine;

/** One way a JSON document breaks a schema: the JSON path of the field and what is wrong. */
public record Violation(String field, String message) {}
