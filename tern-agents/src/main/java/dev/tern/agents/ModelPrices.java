package dev.tern.agents;

import dev.tern.sdk.ModelEndpoint;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * What tokens cost, in USD per million: the prices configured for the endpoint's model ({@code TERN_LLM_PRICE_INPUT} /
 * {@code _OUTPUT}) win; otherwise a small table of well-known models, matched by the longest name prefix (so
 * {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}); an unknown model costs 0 and only its tokens are
 * counted.
 */
public final class ModelPrices {
    /** Input and output price per million tokens. */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public double cost(long inputTokens, long outputTokens) {
            return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
        }
    }

    static final Price FREE = new Price(0, 0);

    private static final Map<String, Price> KNOWN = Map.ofEntries(
            Map.entry("gpt-5", new Price(1.25, 10.00)),
            Map.entry("gpt-5-mini", new Price(0.25, 2.00)),
            Map.entry("gpt-5-nano", new Price(0.05, 0.40)),
            Map.entry("gpt-4.1", new Price(2.00, 8.00)),
            Map.entry("gpt-4.1-mini", new Price(0.40, 1.60)),
            Map.entry("gpt-4.1-nano", new Price(0.10, 0.40)),
            Map.entry("gpt-4o", new Price(2.50, 10.00)),
            Map.entry("gpt-4o-mini", new Price(0.15, 0.60)),
            Map.entry("gpt-4-turbo", new Price(10.00, 30.00)),
            Map.entry("gpt-3.5-turbo", new Price(0.50, 1.50)),
            Map.entry("o1", new Price(15.00, 60.00)),
            Map.entry("o1-mini", new Price(1.10, 4.40)),
            Map.entry("o3", new Price(2.00, 8.00)),
            Map.entry("o3-mini", new Price(1.10, 4.40)),
            Map.entry("o4-mini", new Price(1.10, 4.40)));

    private ModelPrices() {}

    /** The price of a call to {@code model} made through {@code endpoint}. */
    public static Price of(ModelEndpoint endpoint, String model) {
        if (endpoint != null && (endpoint.inputUsdPerMillion() != null || endpoint.outputUsdPerMillion() != null)) {
            return new Price(orZero(endpoint.inputUsdPerMillion()), orZero(endpoint.outputUsdPerMillion()));
        }
        return known(model);
    }

    /** The built-in price of {@code model}, by the longest known prefix of its name; free if none matches. */
    public static Price known(String model) {
        if (model == null) return FREE;
        String name = model.toLowerCase(Locale.ROOT);
        return KNOWN.entrySet().stream()
                .filter(e -> name.equals(e.getKey()) || name.startsWith(e.getKey() + "-"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(FREE);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
