package dev.tern.engine;

import java.util.List;

/** A page of runs; {@code nextCursor} is null on the last page. */
public record RunPage(List<RunRecord> runs, String nextCursor) {}
