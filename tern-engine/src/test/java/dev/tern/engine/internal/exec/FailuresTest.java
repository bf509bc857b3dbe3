package dev.tern.engine.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.billing.CardDeclinedException;
import dev.tern.engine.ErrorInfo;
import dev.tern.sdk.Budget;
import dev.tern.sdk.BudgetExceededException;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.Usage;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Errors as clients see them: typed, the application's own type names kept, no platform or library class names. */
class FailuresTest {

    @Test
    void platformExceptionsGetACategoryAndTheirMessage() {
        ErrorInfo e = Failures.describe(new IllegalArgumentException("amount must be positive"));
        assertThat(e.type()).isEqualTo("InvalidArgument");
        assertThat(e.message()).isEqualTo("amount must be positive");
        assertThat(e.errorId()).isNotBlank();
        assertThat(Failures.type(new NumberFormatException("x"))).isEqualTo("InvalidArgument");
        assertThat(Failures.type(new IllegalStateException())).isEqualTo("InvalidState");
        assertThat(Failures.type(new NullPointerException())).isEqualTo("NullValue");
        assertThat(Failures.type(new UncheckedIOException(new java.io.IOException("disk"))))
                .isEqualTo("IO");
        assertThat(Failures.type(new java.util.concurrent.TimeoutException())).isEqualTo("Timeout");
        assertThat(Failures.type(new com.fasterxml.jackson.core.JsonParseException(null, "bad")))
                .isEqualTo("IO");
        assertThat(Failures.type(new RuntimeException("?"))).isEqualTo("Error");
        assertThat(Failures.describe(new RuntimeException()).message()).isEqualTo("(no message)");
    }

    @Test
    void typedErrorsAndApplicationExceptionsKeepTheirTypes() {
        assertThat(Failures.type(new CardDeclinedException("declined"))).isEqualTo("CardDeclinedException");
        assertThat(Failures.type(new NonRetryableException("PaymentDeclined", "no", null)))
                .isEqualTo("PaymentDeclined");
        assertThat(Failures.type(new NonRetryableException("no"))).isEqualTo("NonRetryable");
        assertThat(Failures.type(new BudgetExceededException(Usage.NONE, Budget.ofUsd(1))))
                .isEqualTo("BudgetExceeded");
    }
}
