package dev.tern.bench;

import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;

/** The workflows the bench runs: three no-op steps ({@value #THREE_STEPS}) and one ({@value #ONE_STEP}). */
final class BenchWorkflows {
  static final String THREE_STEPS = "bench-three-steps";
  static final String ONE_STEP = "bench-one-step";
  static final int STEPS_PER_WORKFLOW = 3;

  /** The input of both workflows: the index of the run, so each input differs. */
  public record In(int index) {}

  /** The output of both workflows: the sum of the step results. */
  public record Out(int sum) {}

  static final WorkflowDefinition<In, Out> THREE = WorkflowDefinition.of(THREE_STEPS, In.class, Out.class, (ctx, in) -> {
    int a = ctx.step("a", Integer.class, () -> 1);
    int b = ctx.step("b", Integer.class, () -> 1);
    int c = ctx.step("c", Integer.class, () -> 1);
    return new Out(a + b + c);
  });

  static final WorkflowDefinition<In, Out> ONE = WorkflowDefinition.of(ONE_STEP, In.class, Out.class,
      (ctx, in) -> new Out(ctx.step("a", Integer.class, () -> 1)));

  static Definitions definitions() {
    return Definitions.builder().workflow(THREE).workflow(ONE).build();
  }

  private BenchWorkflows() {}
}
