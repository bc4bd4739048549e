package dev.floe.catalog.kms;

import java.time.Duration;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * The KMS cannot be reached or is refusing service right now (timeout, connection refused,
 * throttling, 5xx, open circuit breaker). It extends Iceberg's {@link ServiceUnavailableException}
 * so the REST layer answers 503 with the standard error model; {@link #retryAfter()} is the hint
 * for the {@code Retry-After} header.
 */
public class KmsUnavailableException extends ServiceUnavailableException {

    private final transient Duration retryAfter;

    public KmsUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(cause, "%s", message);
        this.retryAfter = retryAfter;
    }

    public KmsUnavailableException(String message, Duration retryAfter) {
        super("%s", message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before trying again (at least one second). */
    public Duration retryAfter() {
        return retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
    }
}
