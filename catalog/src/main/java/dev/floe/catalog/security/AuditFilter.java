package dev.floe.catalog.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Writes the audit line of a request once its answer is known: for every mutating call, every
 * management call, and every request the security filters refused (authentication failures, scope
 * and role denials, lockouts). Reads are not audited (the access log and metrics cover them).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AuditFilter implements Ordered {

    private final AuditLog audit;

    public AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @ResponseFilter
    public void audit(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String forced = request.getAttribute(SecurityAttributes.AUDIT_ACTION, String.class)
                .orElse(null);
        if (forced == null && !isAudited(request)) {
            return;
        }
        audit.record(event(request, forced, response.code()));
    }

    /** Mutating and management calls are audited whatever their outcome. */
    static boolean isAudited(HttpRequest<?> request) {
        boolean mutating = request.getMethod() != HttpMethod.GET
                && request.getMethod() != HttpMethod.HEAD
                && request.getMethod() != HttpMethod.OPTIONS;
        return mutating || request.getPath().startsWith("/management/");
    }

    /** The audit event of {@code request} answered with {@code status}; {@code action} null: the endpoint's. */
    static AuditLog.Event event(HttpRequest<?> request, String action, int status) {
        EndpointPolicy.Match match = request.getAttribute(SecurityAttributes.MATCH, EndpointPolicy.Match.class)
                .orElseGet(() -> EndpointPolicy.match(request));
        String target = request.getAttribute(SecurityAttributes.AUDIT_TARGET, String.class)
                .orElse(match.target());
        return new AuditLog.Event(
                SecurityAttributes.requestId(request),
                AuditLog.anonymous(SecurityAttributes.principal(request).orElse(null)),
                action != null ? action : match.rule().action(),
                target,
                request.getMethodName(),
                request.getPath(),
                status,
                SecurityAttributes.clientAddress(request));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before() + 2;
    }
}
