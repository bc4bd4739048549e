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

    /** Per the REST specification, 2xx and 4xx results are final and replayed; 5xx are not kept. */
    public boolean isFinal() {
        return status < 500;
    }
}
