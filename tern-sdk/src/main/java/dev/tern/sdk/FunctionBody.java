package dev.tern.sdk;

/** The code of a {@link FunctionDefinition}: typed input in, typed output out. */
@FunctionalInterface
public interface FunctionBody<I, O> {
    O apply(I input) throws Exception;
}
