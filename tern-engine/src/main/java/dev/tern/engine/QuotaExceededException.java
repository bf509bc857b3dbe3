package dev.tern.engine;

import java.time.Duration;

/**
 * The organisation has used up a quota ({@link OrgQuota}); the request may be tried again after {@link #retryAfter()}.
 */
public final class QuotaExceededException extends TernException {
    private static final long serialVersionUID = 1L;
    private final String orgId;
    private final transient Duration retryAfter;

    public QuotaExceededException(String orgId, String message, Duration retryAfter) {
        super(message);
        this.orgId = orgId;
        this.retryAfter = retryAfter;
    }

    public String orgId() {
        return orgId;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
