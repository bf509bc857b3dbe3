package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A run as stored: what was asked ({@code kind}, {@code name}, {@code input}), where it stands,
 * and how it ended. {@code suspended} runs hold no thread and resume at {@code wakeAt} or when
 * an event arrives.
 */
public record RunRecord(
    String id,
    String kind,
    String name,
    RunStatus status,
    JsonNode input,
    JsonNode output,
    ErrorInfo error,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    Instant updatedAt,
    int attempt,
    String owner,
    boolean suspended,
    Instant wakeAt,
    boolean cancelRequested,
    long lastEventSeq) {}
