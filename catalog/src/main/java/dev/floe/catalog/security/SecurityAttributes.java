package dev.floe.catalog.security;

import io.micronaut.http.HttpRequest;
import java.util.Optional;
import org.apache.iceberg.exceptions.NotAuthorizedException;

/**
 * Names of the request attributes the security filters set, and typed access to them for
 * controllers (e.g. {@code SecurityAttributes.principal(request)} to filter a listing by scope).
 */
public final class SecurityAttributes {

    /** The authenticated {@link Principal}. */
    public static final String PRINCIPAL = "floe.security.principal";
    /** The {@link EndpointPolicy.Match} of the request. */
    public static final String MATCH = "floe.security.match";
    /** The request id (also in the {@code X-Request-Id} response header and the MDC key {@code requestId}). */
    public static final String REQUEST_ID = "floe.security.request-id";
    /** Set to an audit action name when a request must be audited whatever its method (auth failures). */
    public static final String AUDIT_ACTION = "floe.security.audit-action";
    /** The client address {@link ClientAddresses} worked out (trusted proxies' X-Forwarded-For applied). */
    public static final String CLIENT_ADDRESS = "floe.security.client-address";
    /** Audit target overriding the path-derived one (e.g. the key id of a management call). */
    public static final String AUDIT_TARGET = "floe.security.audit-target";

    private SecurityAttributes() {}

    /** The request's principal, if it was authenticated. */
    public static Optional<Principal> principal(HttpRequest<?> request) {
        return request.getAttribute(PRINCIPAL, Principal.class);
    }

    /**
     * The request's caller, for controllers that confine what they answer by it. The filters store
     * one on every request they let through to a protected route (with authentication off, an
     * anonymous admin), so a request without one was not authenticated: it is refused with 401
     * instead of being treated as a caller without limits.
     */
    public static Principal requirePrincipal(HttpRequest<?> request) {
        return principal(request).orElseThrow(() -> new NotAuthorizedException("Authentication required"));
    }

    /** The request id. */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(REQUEST_ID, String.class).orElse("-");
    }

    /**
     * The client's address: as {@link ClientAddresses} worked it out for this request (the first
     * filter does), else the socket's peer.
     */
    public static String clientAddress(HttpRequest<?> request) {
        Optional<String> resolved = request.getAttribute(CLIENT_ADDRESS, String.class);
        if (resolved.isPresent()) {
            return resolved.get();
        }
        try {
            return request.getRemoteAddress().getAddress().getHostAddress();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
