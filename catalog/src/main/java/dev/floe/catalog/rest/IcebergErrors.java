package dev.floe.catalog.rest;

import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.store.StoreUnavailableException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchIcebergTableException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP status codes and Iceberg {@code ErrorModel} bodies.
 * The table mirrors Iceberg's {@code RESTCatalogAdapter}; anything unknown is a 500 whose body
 * says only "internal error" (the stack trace goes to the log, never to the caller).
 */
public final class IcebergErrors {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergErrors.class);

    /** Exception type → status; looked up along the class hierarchy, most specific first. */
    private static final Map<Class<? extends Throwable>, Integer> CODES = new LinkedHashMap<>();

    static {
        CODES.put(NamespaceNotEmptyException.class, 409);
        CODES.put(AlreadyExistsException.class, 409);
        CODES.put(CommitFailedException.class, 409);
        CODES.put(NoSuchNamespaceException.class, 404);
        CODES.put(NoSuchTableException.class, 404);
        CODES.put(NoSuchViewException.class, 404);
        CODES.put(NoSuchIcebergTableException.class, 404);
        CODES.put(NotFoundException.class, 404);
        CODES.put(NotAuthorizedException.class, 401);
        CODES.put(ForbiddenException.class, 403);
        CODES.put(CredentialsExpiredException.class, 419);
        CODES.put(UnsupportedOperationException.class, 406);
        CODES.put(UnprocessableEntityException.class, 422);
        CODES.put(ServiceUnavailableException.class, 503);
        CODES.put(StoreUnavailableException.class, 503);
        CODES.put(CommitStateUnknownException.class, 500);
        CODES.put(BadRequestException.class, 400);
        CODES.put(ValidationException.class, 400);
        CODES.put(IllegalArgumentException.class, 400);
    }

    private IcebergErrors() {}

    /** The status code for an exception thrown while serving a request. */
    public static int status(Throwable error) {
        if (error instanceof HttpStatusException statusException) {
            return statusException.getStatus().getCode();
        }
        for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
            Integer code = CODES.get(type);
            if (code != null) {
                return code;
            }
        }
        return 500;
    }

    /** The error response for an exception: known ones carry their message, unknown ones do not. */
    public static MutableHttpResponse<String> response(Throwable error) {
        KmsUnavailableException kms = kmsUnavailable(error);
        if (kms != null) {
            // The KMS is down (crypto/kms layers): 503 with a retry hint, whatever wrapped it on the way up.
            return response(503, "ServiceUnavailableException", kms.getMessage())
                    .header(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(Math.max(1, kms.retryAfter().toSeconds())));
        }
        if (error instanceof StoreUnavailableException) {
            // overloaded or out of reach, and nothing was applied: the client may retry after a pause
            LOG.warn("Request refused, metadata store busy: {}", error.getMessage());
            return response(503, "ServiceUnavailableException", "The metadata store is busy; retry later")
                    .header(HttpHeaders.RETRY_AFTER, "1");
        }
        int code = status(error);
        if (code >= 500 && !(error instanceof ServiceUnavailableException)) {
            LOG.error("Request failed with an internal error", error);
            String type = error instanceof CommitStateUnknownException
                    ? "CommitStateUnknownException"
                    : "InternalServerError";
            String message = error instanceof CommitStateUnknownException
                    ? "Commit state unknown; check the table before retrying"
                    : "Internal server error; see the server log";
            return response(code, type, message);
        }
        MutableHttpResponse<String> response = response(code, typeName(error), messageOf(error));
        if (error instanceof ServiceUnavailableException) {
            // Iceberg's HTTP client retries 503 (honouring Retry-After) with the same Idempotency-Key
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response;
    }

    private static KmsUnavailableException kmsUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KmsUnavailableException k) {
                return k;
            }
        }
        return null;
    }

    public static MutableHttpResponse<String> response(int code, String type, String message) {
        ErrorResponse body = ErrorResponse.builder()
                .responseCode(code)
                .withType(type)
                .withMessage(message)
                .build();
        return HttpResponse.<String>status(HttpStatus.valueOf(code))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorResponseParser.toJson(body));
    }

    /** A type name for a bare HTTP status (Micronaut's own routing and body errors). */
    public static String typeForStatus(int code) {
        return switch (code) {
            case 400 -> "BadRequestException";
            case 401 -> "NotAuthorizedException";
            case 403 -> "ForbiddenException";
            case 404 -> "NotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 406 -> "NotAcceptableException";
            case 409 -> "ConflictException";
            case 413 -> "RequestEntityTooLargeException";
            case 414 -> "UriTooLongException";
            case 415 -> "UnsupportedMediaTypeException";
            case 419 -> "AuthenticationTimeoutException";
            case 431 -> "RequestHeaderFieldsTooLargeException";
            case 503 -> "ServiceUnavailableException";
            default -> code >= 500 ? "InternalServerError" : "BadRequestException";
        };
    }

    private static String typeName(Throwable error) {
        if (error instanceof HttpStatusException statusException) {
            return typeForStatus(statusException.getStatus().getCode());
        }
        if (error instanceof IllegalArgumentException && !(error instanceof NumberFormatException)) {
            return "IllegalArgumentException";
        }
        if (error instanceof NumberFormatException) {
            return "BadRequestException";
        }
        return error.getClass().getSimpleName();
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return typeName(error);
        }
        return message.length() > 2000 ? message.substring(0, 2000) + "…" : message;
    }
}
