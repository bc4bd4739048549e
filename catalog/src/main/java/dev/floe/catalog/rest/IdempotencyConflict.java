package dev.floe.catalog.rest;

import org.apache.iceberg.exceptions.UnprocessableEntityException;

/** The answer to an {@code Idempotency-Key} reused for a different request: 422 with an ErrorModel. */
public final class IdempotencyConflict {

    private IdempotencyConflict() {}

    /** The 422 for {@code key}; says nothing about the request that used it first. */
    public static UnprocessableEntityException reused(String key) {
        return new UnprocessableEntityException(
                "Idempotency-Key %s was already used for a different request (another caller, warehouse, method,"
                        + " path or body); send a new key for a new request",
                key);
    }
}
