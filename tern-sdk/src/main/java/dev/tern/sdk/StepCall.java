package dev.tern.sdk;

/** One step of a parallel group: see {@link WorkflowContext#parallel}. */
public record StepCall<T>(String name, StepOptions options, Class<T> resultType, StepBody<T> body) {

    public static <T> StepCall<T> of(String name, Class<T> resultType, StepBody<T> body) {
        return new StepCall<>(name, StepOptions.defaults(), resultType, body);
    }
}
