package dev.tern.engine;

/** A run of a definition that calls a language model was asked for, but this node has no model configured. */
public final class ModelNotConfiguredException extends TernException {
    private static final long serialVersionUID = 1L;

    public ModelNotConfiguredException(String definition) {
        super("'" + definition
                + "' calls a language model, and none is configured: set OPENAI_API_KEY (for OpenAI) or "
                + "OPENAI_BASE_URL "
                + "(any OpenAI-compatible server such as Ollama, vLLM or llama.cpp), or the --llm-api-key / "
                + "--llm-base-url flags");
    }
}
