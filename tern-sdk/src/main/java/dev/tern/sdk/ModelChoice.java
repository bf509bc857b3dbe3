package dev.tern.sdk;

/**
 * The model a run's model calls use instead of the configured one, and its parameters: set when a run is forked to ask
 * "what would the other model have answered here?", or when a run is scheduled with a model. {@code null} fields keep
 * what the code or the node configured.
 *
 * @param model the model name sent to the provider
 * @param temperature sampling temperature, 0 to 2
 * @param maxOutputTokens the most tokens the model may answer with, at least 1
 */
public record ModelChoice(String model, Double temperature, Integer maxOutputTokens) {
    public ModelChoice {
        if (model != null && model.isBlank()) model = null;
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2))
            throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
        if (maxOutputTokens != null && maxOutputTokens < 1)
            throw new IllegalArgumentException("maxOutputTokens must be at least 1, was " + maxOutputTokens);
    }

    /** Only the model. */
    public static ModelChoice of(String model) {
        return new ModelChoice(model, null, null);
    }
}
