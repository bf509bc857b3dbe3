package dev.tern.sdk;

import java.net.URI;
import java.util.Objects;

/**
 * Where agents reach a language model: any server that speaks OpenAI's chat-completions protocol (OpenAI, Ollama, vLLM,
 * llama.cpp's server), the API key it wants ({@code null} for none), the default model name, and what the model costs
 * in USD per million input and output tokens ({@code null}: take the price from the built-in table of well-known
 * models, else count no cost). The key never appears in {@link #toString()}.
 */
public record ModelEndpoint(
        String baseUrl, String apiKey, String model, Double inputUsdPerMillion, Double outputUsdPerMillion) {

    /** OpenAI's API, used when no base URL is configured. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    /** The model used when none is configured. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    public ModelEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        try {
            URI uri = new URI(baseUrl);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null)
                throw new IllegalArgumentException();
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "model base URL must be an absolute http or https URL, was '" + baseUrl + "'");
        }
        if (model == null || model.isBlank()) model = DEFAULT_MODEL;
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        checkPrice(inputUsdPerMillion, "input");
        checkPrice(outputUsdPerMillion, "output");
    }

    private static void checkPrice(Double price, String which) {
        if (price != null && (price.isNaN() || price.isInfinite() || price < 0)) {
            throw new IllegalArgumentException(
                    "the " + which + " price must be a finite number >= 0 USD per million tokens, was " + price);
        }
    }

    /**
     * The endpoint described by these settings, or {@code null} when none is configured: neither a key (needed by
     * OpenAI) nor a base URL of another server (which may need none) was given.
     */
    public static ModelEndpoint configured(
            String baseUrl, String apiKey, String model, Double inputPrice, Double outputPrice) {
        boolean hasBase = baseUrl != null && !baseUrl.isBlank();
        boolean hasKey = apiKey != null && !apiKey.isBlank();
        if (!hasBase && !hasKey) return null;
        return new ModelEndpoint(hasBase ? baseUrl.strip() : OPENAI_BASE_URL, apiKey, model, inputPrice, outputPrice);
    }

    @Override
    public String toString() {
        return "ModelEndpoint[" + baseUrl + ", model=" + model + ", key=" + (apiKey == null ? "none" : "***") + "]";
    }
}
