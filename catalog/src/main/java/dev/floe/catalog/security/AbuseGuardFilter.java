package dev.floe.catalog.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import jakarta.inject.Named;

/**
 * First line against floods and guessing, before any credential is looked at: refuses an address
 * that is locked out after repeated authentication failures, and rate-limits per client address.
 * Both answer 429 with {@code Retry-After}. Health probes are exempt so a busy pod is not killed.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AbuseGuardFilter implements Ordered {

    private final RateLimiter perAddress;
    private final LockoutTracker lockout;

    public AbuseGuardFilter(@Named("address") RateLimiter perAddress, LockoutTracker lockout) {
        this.perAddress = perAddress;
        this.lockout = lockout;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> guard(HttpRequest<?> request) {
        if (request.getPath().startsWith("/health")) {
            return null;
        }
        String address = SecurityAttributes.clientAddress(request);
        long locked = lockout.lockedForSeconds(address);
        if (locked > 0) {
            request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.locked-out");
            return SecurityErrors.tooManyRequests(locked, "Too many failed authentication attempts from this address; try again later");
        }
        long wait = perAddress.acquire(address);
        if (wait > 0) {
            return SecurityErrors.tooManyRequests(wait, "Rate limit exceeded for this client address");
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
