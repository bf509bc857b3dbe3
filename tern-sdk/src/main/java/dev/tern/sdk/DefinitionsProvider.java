package dev.tern.sdk;

/**
 * What a jar (or classes directory) of your own agents and workflows gives a Tern server: {@code tern server
 * --definitions my-agents.jar} finds every implementation listed in the jar's
 * {@code META-INF/services/dev.tern.sdk.DefinitionsProvider} (a {@link java.util.ServiceLoader} file, one class name
 * per line) and serves the definitions they return. An implementation needs a public no-argument constructor.
 */
public interface DefinitionsProvider {
    /** The workflows, agents and functions this code defines; names must be unique across everything a server loads. */
    Definitions definitions();
}
