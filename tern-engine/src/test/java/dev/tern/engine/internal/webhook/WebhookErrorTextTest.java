package dev.tern.engine.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** A failed delivery's error, as `GET /v1/runs/{id}/webhooks` shows it: words, never an exception's class name. */
class WebhookErrorTextTest {
    @Test
    void failuresAreDescribedWithoutClassNames() {
        assertThat(WebhookDeliverer.describe(new ConnectException("Connection refused")))
                .isEqualTo("connection refused or unreachable");
        assertThat(WebhookDeliverer.describe(new HttpTimeoutException("request timed out")))
                .isEqualTo("no answer within the request timeout");
        assertThat(WebhookDeliverer.describe(new java.io.IOException("closed")))
                .isEqualTo("the connection failed (closed)");
        assertThat(WebhookDeliverer.describe(new IllegalStateException("x"))).doesNotContain("Exception");
    }
}
