package dev.floe.catalog.rest;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;

/**
 * Micronaut's own error responses (no route: 404, wrong method: 405, body too large: 413, wrong
 * content type: 415, unreadable arguments: 400) rendered as Iceberg ErrorModel JSON instead of
 * Micronaut's default format, so every error a client sees has one shape.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class IcebergErrorResponseProcessor implements ErrorResponseProcessor<String> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IcebergErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int code = response.code();
        if (context.getRootCause().isPresent() && code < 500) {
            Throwable cause = context.getRootCause().get();
            if (IcebergErrors.status(cause) == code) {
                return respond(response, IcebergErrors.response(cause).body());
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "{} {} -> {}",
                    context.getRequest().getMethodName(),
                    context.getRequest().getPath(),
                    code,
                    context.getRootCause().orElse(null));
        }
        String message = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank() || code >= 500) {
            message = code >= 500
                    ? "Internal server error; see the server log"
                    : HttpStatus.valueOf(code).getReason();
        }
        if (message.length() > 1000) {
            message = message.substring(0, 1000) + "…";
        }
        ErrorResponse body = ErrorResponse.builder()
                .responseCode(code)
                .withType(IcebergErrors.typeForStatus(code))
                .withMessage(message)
                .build();
        return respond(response, ErrorResponseParser.toJson(body));
    }

    @SuppressWarnings("unchecked")
    private static MutableHttpResponse<String> respond(MutableHttpResponse<?> response, String json) {
        return ((MutableHttpResponse<String>) response)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(json);
    }
}
