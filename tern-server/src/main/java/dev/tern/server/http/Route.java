package dev.tern.server.http;

/** One HTTP route the server answers; the list of them is checked against {@code /openapi.json}. */
public record Route(String method, String path) {}
