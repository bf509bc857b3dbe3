package dev.tern.engine;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Before a deploy: replays in-flight runs' histories (their exports) against the code about to be deployed and lists
 * the runs it would break. A run replays against its own revision when the new code still registers it, else against
 * the newest revision of its definition (the one new nodes would give it only if the revision is the same: a run whose
 * revision the new code lacks waits as {@code revision_unavailable} once old nodes are gone, so it is listed too). Used
 * by {@code tern check-upgrade} and by tests.
 *
 * <pre>{@code
 * UpgradeCheck.Report report = UpgradeCheck.against(NewCode.definitions()).check(exports);
 * assertThat(report.broken()).isEmpty();
 * }</pre>
 */
public final class UpgradeCheck {
    private final Definitions definitions;

    private UpgradeCheck(Definitions definitions) {
        this.definitions = definitions;
    }

    /** A check against {@code definitions}: the code about to be deployed. */
    public static UpgradeCheck against(Definitions definitions) {
        return new UpgradeCheck(definitions);
    }

    /** Why the new code would break a run. */
    public enum Reason {
        /** The new code has no agent or workflow of the run's name. */
        DEFINITION_MISSING,
        /** The new code does not register the run's revision: the run could only finish on old nodes. */
        REVISION_MISSING,
        /** Replaying the run's history against the new code parts from the history (see {@link #detail}). */
        NON_DETERMINISM
    }

    /** A run the new code would break, and why; {@code detail} names the step for a non-determinism. */
    public record Broken(String runId, String definition, String revision, Reason reason, String detail) {
        /** One line for people. */
        public String describe() {
            return runId + " (" + definition + (revision == null ? "" : "@" + revision) + "): "
                    + reason.name().toLowerCase(java.util.Locale.ROOT) + (detail == null ? "" : ": " + detail);
        }
    }

    /** What the check found: how many runs it replayed, and those that would break. */
    public record Report(int checked, List<Broken> broken) {
        public Report {
            broken = List.copyOf(broken);
        }

        /** Whether no run would break. */
        public boolean ok() {
            return broken.isEmpty();
        }
    }

    /** Checks every run of {@code exports}; call runs (tools, MCP calls), which run no user code, are skipped. */
    public Report check(Collection<RunExport> exports) {
        int checked = 0;
        List<Broken> broken = new ArrayList<>();
        for (RunExport export : exports) {
            RunRecord run = export.run();
            if (run.kind() != RunKind.AGENT && run.kind() != RunKind.WORKFLOW) continue;
            checked++;
            check(export).ifPresent(broken::add);
        }
        return new Report(checked, broken);
    }

    private Optional<Broken> check(RunExport export) {
        RunRecord run = export.run();
        String revision = export.definitionVersion();
        Optional<RunnableDefinition> newest = definitions.runnable(run.name());
        if (newest.isEmpty() || RunKind.of(newest.get().kind()) != run.kind())
            return Optional.of(new Broken(run.id(), run.name(), revision, Reason.DEFINITION_MISSING, null));
        RunnableDefinition code = revision == null
                ? newest.get()
                : definitions.runnable(run.name(), revision).orElse(null);
        if (code == null)
            return Optional.of(new Broken(
                    run.id(),
                    run.name(),
                    revision,
                    Reason.REVISION_MISSING,
                    "the new code registers "
                            + definitions.revisions(run.name()).stream()
                                    .map(RunnableDefinition::revision)
                                    .toList()));
        ReplayResult result = export.replay(code);
        if (result.matches()) return Optional.empty();
        return Optional.of(new Broken(
                run.id(),
                run.name(),
                revision,
                Reason.NON_DETERMINISM,
                result.divergence().describe()));
    }
}
