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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Runs the {@link AccessDecision} of every request whose credential needs I/O to check (an API
 * key or token whose key record is not cached, an OIDC token whose issuer keys may have to be
 * fetched), on the blocking pool, where the request then goes on to its controller. Requests that
 * can be decided from memory are left to {@link AuthenticationFilter}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = AccessDecision.class)
public final class BlockingAuthenticationFilter implements ConditionalFilter, Ordered {

    private final AccessDecision access;

    BlockingAuthenticationFilter(AccessDecision access) {
        this.access = access;
    }

    @Override
    public boolean isEnabled(HttpRequest<?> request) {
        return !access.decidesInMemory(request);
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public @Nullable HttpResponse<?> authenticate(HttpRequest<?> request) {
        return access.decide(request);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
