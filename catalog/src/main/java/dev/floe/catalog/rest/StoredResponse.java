package dev.floe.catalog.rest;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * A finished response as the idempotency store keeps it: status and JSON body (null for 204).
 *
 * @param status HTTP status code
 * @param body   response body, or null when there is none
 */
public record StoredResponse(int status, String body) {

    public static StoredResponse of(MutableHttpResponse<String> response) {
        return new StoredResponse(response.code(), response.getBody().orElse(null));
    }

    public MutableHttpResponse<String> toHttp() {
        MutableHttpResponse<String> response = HttpResponse.status(HttpStatus.valueOf(status));
        if (body != null) {
            response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
        }
        return response;
    }

    /**
     * Whether the body weighs more than {@code maxBytes} in UTF-8. Counted only when the character
     * count could exceed it (a character is at most 3 UTF-8 bytes), so small bodies cost nothing.
     */
    public boolean heavierThan(int maxBytes) {
        if (body == null || (long) body.length() * 3 <= maxBytes) {
            return false;
        }
        return body.length() > maxBytes || body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes;
    }

    /** Per the REST specification, 2xx and 4xx results are final and replayed; 5xx are not kept. */
    public boolean isFinal() {
        return status < 500;
    }
}
