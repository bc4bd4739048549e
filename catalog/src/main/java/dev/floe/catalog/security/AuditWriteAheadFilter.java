package dev.floe.catalog.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * With {@code floe.security.audit.fail-closed = true}: no audited request (mutating or management)
 * runs unless its audit line was written first. After authentication and authorisation let the
 * request through, a {@code started} line is written; if the sink refuses it, the request is
 * answered 503 and not executed. {@link AuditFilter} still writes the outcome line afterwards.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = AuditWriteAheadFilter.PROPERTY, value = "true")
public final class AuditWriteAheadFilter implements Ordered {

    /** The Micronaut property that turns failing closed on; off by default. */
    public static final String PROPERTY = "floe.security.audit.fail-closed";

    private final AuditLog audit;

    AuditWriteAheadFilter(AuditLog audit) {
        this.audit = audit;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> writeAhead(HttpRequest<?> request) {
        if (!AuditFilter.isAudited(request)
                || audit.record(AuditFilter.event(request, null, AuditLog.Event.NOT_ANSWERED_YET))) {
            return null;
        }
        return SecurityErrors.error(
                HttpStatus.SERVICE_UNAVAILABLE,
                "ServiceUnavailableException",
                "The audit log cannot be written, so audited requests are refused (" + PROPERTY + ")");
    }

    @Override
    public int getOrder() {
        // after both authentication filters (SECURITY): the principal is known and the request allowed
        return ServerFilterPhase.SECURITY.after();
    }
}
