package dev.tern.examples.assistant;

import dev.tern.agents.AgentTool;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.RetryPolicy;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The demo assistant's two tools: arithmetic and the current time. */
public final class AssistantTools {
    public record Calculation(String expression) {}

    public record CalculationResult(String expression, String result) {}

    public record TimeQuery(@Nullable String timezone) {}

    public record CurrentTime(String timezone, String iso, String dayOfWeek) {}

    /** {@code calculate {"expression"}}: a bad expression is the model's to fix, so it is not retried. */
    public static final AgentTool CALCULATE = AgentTool.of(
                    "calculate",
                    "Evaluates an arithmetic expression: + - * / % ^, parentheses, sqrt, ln, log10, sin, cos, tan, "
                            + "min, max, pi, e.",
                    Calculation.class,
                    c -> new CalculationResult(c.expression(), Calculator.format(Calculator.evaluate(c.expression()))))
            .withRetry(RetryPolicy.none());

    /** {@code current_time {"timezone"?}}: an IANA zone such as Europe/Paris; UTC when absent. */
    public static final AgentTool CURRENT_TIME = AgentTool.of(
                    "current_time",
                    "The current date and time in an IANA time zone such as Europe/Paris (UTC when none is given).",
                    TimeQuery.class,
                    q -> {
                        ZoneId zone;
                        try {
                            zone = q.timezone() == null || q.timezone().isBlank()
                                    ? ZoneId.of("UTC")
                                    : ZoneId.of(q.timezone());
                        } catch (DateTimeException e) {
                            throw new IllegalArgumentException(
                                    "unknown time zone '" + q.timezone() + "'; use an IANA name such as Europe/Paris");
                        }
                        ZonedDateTime now = ZonedDateTime.now(zone);
                        return new CurrentTime(
                                zone.getId(),
                                now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                                now.getDayOfWeek().toString());
                    })
            .withRetry(RetryPolicy.none());

    private AssistantTools() {}
}
