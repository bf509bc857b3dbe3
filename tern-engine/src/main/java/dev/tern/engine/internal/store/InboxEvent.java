package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An event sent to a run, numbered in arrival order. */
public record InboxEvent(long inboxSeq, String name, JsonNode payload, Instant at) {}
