package dev.tern.sdk;

/** The side-effecting code of an inline step. */
@FunctionalInterface
public interface StepBody<T> {
    T execute() throws Exception;
}
