package dev.floe.catalog.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ConditionalFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Runs the {@link AccessDecision} of every request whose credential can be checked from memory
 * (authentication off, a cached API key, a token of this catalog for one, no credential), on the
 * request's event loop: such a request costs no thread hand-off. Every other request is left to
 * {@link BlockingAuthenticationFilter}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = AccessDecision.class)
public final class AuthenticationFilter implements ConditionalFilter, Ordered {

    private final AccessDecision access;

    AuthenticationFilter(AccessDecision access) {
        this.access = access;
    }

    @Override
    public boolean isEnabled(HttpRequest<?> request) {
        return access.decidesInMemory(request);
    }

    @RequestFilter
    public @Nullable HttpResponse<?> authenticate(HttpRequest<?> request) {
        return access.decide(request);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
