package dev.tern.agents;

/**
 * A call the model asked for: its id (echoed back with the result), the tool's name, and the arguments as JSON text.
 */
public record ToolCall(String id, String name, String arguments) {}
