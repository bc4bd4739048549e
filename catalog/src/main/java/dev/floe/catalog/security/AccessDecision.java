package dev.floe.catalog.security;

import dev.floe.catalog.config.FloeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.web.router.Router;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.EnumSet;

/**
 * Authentication and authorization of one request, before routing reaches a controller: finds
 * the endpoint's rule in {@link EndpointPolicy}, lets public endpoints through, authenticates the
 * credential (401 with {@code WWW-Authenticate} when missing or invalid; an invalid one counts
 * towards the lockout of its client address and presented key id, and is answered 429 while that
 * pair is locked out),
 * answers 404 for a namespace, table or view outside the caller's scope and 403 when the role is
 * insufficient, and applies the per-key rate limit. The principal is left in the request for
 * controllers ({@link SecurityAttributes#principal}).
 *
 * <p>Two filters run it, and exactly one of them is enabled for a request:
 * {@link AuthenticationFilter} on the request's event loop when the decision needs nothing but
 * memory ({@link #decidesInMemory}), {@link BlockingAuthenticationFilter} on the blocking pool
 * otherwise.
 */
@Singleton
@Requires(beans = FloeConfig.class)
@Requires(beans = Authenticator.class)
final class AccessDecision {

    private static final String IN_MEMORY = "floe.security.decided-in-memory";
    private static final String CREDENTIAL = "floe.security.credential";

    private final Authenticator authenticator;
    private final SecuritySettings settings;
    private final LockoutTracker lockout;
    private final RateLimiter perKey;
    private final @Nullable MeterRegistry meters;
    private final @Nullable String defaultWarehouse;
    private final Router router;

    AccessDecision(
            Authenticator authenticator,
            SecuritySettings settings,
            LockoutTracker lockout,
            @Named("key") RateLimiter perKey,
            @Nullable MeterRegistry meters,
            @Nullable FloeConfig config,
            Router router) {
        this.router = router;
        this.defaultWarehouse = config == null ? null : config.warehouse().defaultName();
        this.authenticator = authenticator;
        this.settings = settings;
        this.lockout = lockout;
        this.perKey = perKey;
        this.meters = meters;
    }

    /**
     * Whether this request can be decided without blocking: authentication is off, or its
     * credential is one {@link Authenticator#decidesInMemory} checks from memory (a cached key, a
     * token of this catalog for one, none at all). Worked out once per request (both filters ask),
     * and the credential read for it is kept for {@link #decide}, so the headers are parsed once.
     */
    boolean decidesInMemory(HttpRequest<?> request) {
        Boolean known = request.getAttribute(IN_MEMORY, Boolean.class).orElse(null);
        if (known != null) {
            return known;
        }
        boolean inMemory = !settings.authEnabled() || authenticator.decidesInMemory(credential(request));
        request.setAttribute(IN_MEMORY, inMemory);
        return inMemory;
    }

    private Authenticator.Credential credential(HttpRequest<?> request) {
        Authenticator.Credential known =
                request.getAttribute(CREDENTIAL, Authenticator.Credential.class).orElse(null);
        if (known != null) {
            return known;
        }
        Authenticator.Credential credential = authenticator.read(
                request.getHeaders().get("Authorization"), request.getHeaders().get("X-API-Key"));
        request.setAttribute(CREDENTIAL, credential);
        return credential;
    }

    /** The refusal for this request (401, 403, 404 out of scope, 429), or null to let it through. */
    @Nullable
    HttpResponse<?> decide(HttpRequest<?> request) {
        EndpointPolicy.Match match = EndpointPolicy.match(request);
        request.setAttribute(SecurityAttributes.MATCH, match);
        if (match.rule().required() == null) {
            return null; // public: token endpoint, health, metrics
        }
        if (!match.routed() && router.findAny(request).isEmpty()) {
            // No route serves this path with any method (e.g. /health on the API port when it is on
            // a management port): nothing will run, the router answers 404 to anyone. A path with a
            // route for another method (405) stays closed like an unlisted route.
            return null;
        }
        Principal principal;
        if (!settings.authEnabled()) {
            principal = new Principal("anonymous", null, EnumSet.of(Role.ADMIN), null, null, "none");
        } else {
            Authenticator.Credential credential = credential(request);
            Authenticator.Outcome outcome = authenticator.authenticate(credential);
            if (!(outcome instanceof Authenticator.Outcome.Authenticated authenticated)) {
                String reason = "missing";
                if (outcome instanceof Authenticator.Outcome.Invalid invalid) {
                    // checked only now, after the credential failed: a valid one is never locked out
                    String address = SecurityAttributes.clientAddress(request);
                    String keyId = Authenticator.presentedKeyId(credential);
                    long locked = lockout.lockedForSeconds(address, keyId);
                    if (locked > 0) {
                        request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.locked-out");
                        count("floe.auth.failures", "locked-out");
                        return SecurityErrors.tooManyRequests(
                                locked,
                                "Too many failed authentication attempts with this credential; try again later");
                    }
                    lockout.recordFailure(address, keyId);
                    reason = invalid.reason();
                }
                request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.failure");
                count("floe.auth.failures", reason);
                return SecurityErrors.unauthorized();
            }
            principal = authenticated.principal();
        }
        request.setAttribute(SecurityAttributes.PRINCIPAL, principal);

        if (match.invalid() != null) {
            return SecurityErrors.error(HttpStatus.BAD_REQUEST, "BadRequestException", match.invalid());
        }
        HttpResponse<?> outOfScope = scope(request, match, principal);
        if (outOfScope != null) {
            count("floe.auth.denied", "scope");
            request.setAttribute(SecurityAttributes.AUDIT_ACTION, match.rule().action());
            return outOfScope;
        }
        if (!principal.has(match.rule().required())) {
            count("floe.auth.denied", "role");
            request.setAttribute(SecurityAttributes.AUDIT_ACTION, match.rule().action());
            return SecurityErrors.forbidden("Role " + match.rule().required().id() + " is required for "
                    + match.rule().action());
        }
        long wait = perKey.acquire(principal.auditId());
        if (wait > 0) {
            return SecurityErrors.tooManyRequests(wait, "Rate limit exceeded for this credential");
        }
        return null;
    }

    /**
     * The refusal when the route reaches beyond the caller's scope, or null. Iceberg routes are
     * checked against the warehouse and namespace the route names (a namespace, table or view
     * outside answers 404, as if it did not exist); API key routes are confined per key by the
     * management controller; catalog-wide routes (data keys) need a caller without any scope.
     */
    private @Nullable HttpResponse<?> scope(HttpRequest<?> request, EndpointPolicy.Match match, Principal principal) {
        return switch (match.rule().reach()) {
            case KEYS -> null;
            case CATALOG ->
                principal.unscoped()
                        ? null
                        : SecurityErrors.forbidden(
                                "This operation covers the whole catalog; it needs a credential without a warehouse or namespace scope");
            case WAREHOUSE -> {
                // Requests without a prefix use the default warehouse; GET /v1/config names it as a parameter.
                String warehouse = match.warehouse() != null
                        ? match.warehouse()
                        : "config.get".equals(match.rule().action())
                                ? request.getParameters().getFirst("warehouse").orElse(defaultWarehouse)
                                : defaultWarehouse;
                if (principal.mayUse(warehouse, match.namespace())) {
                    yield null;
                }
                yield match.rule().resource() == EndpointPolicy.Resource.NONE
                        ? SecurityErrors.forbidden(
                                "This credential is not allowed to use warehouse '" + warehouse + "'")
                        : SecurityErrors.notFound(match);
            }
        };
    }

    private void count(String name, String reason) {
        if (meters != null) {
            meters.counter(name, "reason", reason).increment();
        }
    }
}
