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
 * First line against floods, before any credential is looked at: works out the client address
 * ({@link ClientAddresses}, which believes {@code X-Forwarded-For} only from trusted proxies) for
 * every later filter and the audit log, and rate-limits per client address with 429 and
 * {@code Retry-After}. Health probes are exempt so a busy pod is not killed. Lockout after failed
 * authentications is decided later, per address and presented key id, once a credential has failed
 * ({@link AccessDecision}), so it never refuses a valid credential.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AbuseGuardFilter implements Ordered {

    private final RateLimiter perAddress;
    private final ClientAddresses addresses;

    public AbuseGuardFilter(@Named("address") RateLimiter perAddress, ClientAddresses addresses) {
        this.perAddress = perAddress;
        this.addresses = addresses;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> guard(HttpRequest<?> request) {
        String address = addresses.of(request);
        request.setAttribute(SecurityAttributes.CLIENT_ADDRESS, address);
        if (request.getPath().startsWith("/health")) {
            return null;
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
