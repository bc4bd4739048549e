package dev.floe.catalog.security;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * Error answers of the security layer in the Iceberg REST {@code ErrorModel} shape, so Iceberg
 * clients turn them into their usual exceptions ({@code NotAuthorizedException},
 * {@code ForbiddenException}, {@code NoSuchTableException}, …). Messages never echo credentials.
 */
public final class SecurityErrors {

    /** The challenge sent with every 401. */
    public static final String CHALLENGE = "Bearer realm=\"floe\", error=\"invalid_token\"";

    private SecurityErrors() {}

    /** 401 with {@code WWW-Authenticate}. */
    public static MutableHttpResponse<String> unauthorized() {
        return error(
                        HttpStatus.UNAUTHORIZED,
                        "NotAuthorizedException",
                        "Authentication required: send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>', or a bearer token")
                .header("WWW-Authenticate", CHALLENGE);
    }

    /** 403: authenticated, but the role or scope does not allow this. */
    public static MutableHttpResponse<String> forbidden(String message) {
        return error(HttpStatus.FORBIDDEN, "ForbiddenException", message);
    }

    /** 404 shaped like the catalog's own not-found answer for {@code resource}. */
    public static MutableHttpResponse<String> notFound(EndpointPolicy.Match match) {
        return switch (match.rule().resource()) {
            case TABLE ->
                error(HttpStatus.NOT_FOUND, "NoSuchTableException", "Table does not exist: " + match.target());
            case VIEW -> error(HttpStatus.NOT_FOUND, "NoSuchViewException", "View does not exist: " + match.target());
            default ->
                error(HttpStatus.NOT_FOUND, "NoSuchNamespaceException", "Namespace does not exist: " + match.target());
        };
    }

    /** 429 with {@code Retry-After}. */
    public static MutableHttpResponse<String> tooManyRequests(long retryAfterSeconds, String message) {
        return error(HttpStatus.TOO_MANY_REQUESTS, "TooManyRequestsException", message)
                .header("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    /** Any status with an ErrorModel body. */
    public static MutableHttpResponse<String> error(HttpStatus status, String type, String message) {
        return HttpResponse.<String>status(status)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(json(status.getCode(), type, message));
    }

    /** The ErrorModel JSON text. */
    public static String json(int code, String type, String message) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        return "{\"error\":{\"message\":\"" + new String(enc.quoteAsString(message)) + "\",\"type\":\""
                + new String(enc.quoteAsString(type)) + "\",\"code\":" + code + "}}";
    }
}
