package dev.floe.catalog.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.UriRouteMatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The request latency histogram {@code http.server.requests{method, uri, status, exception}} (in
 * Prometheus {@code http_server_requests_seconds_bucket}) with fixed buckets from 5 ms to 10 s.
 * It replaces Micronaut's web metrics filter (switched off in application.properties) because that
 * one runs after the security filters and so never saw the requests they answered: 401s, 403s and
 * 429s were missing from the histogram, exactly the traffic an operator needs to see in a flood.
 * This one runs in the metrics phase, before them. {@code uri} is the route template (never the
 * raw path, so names in paths do not multiply series); unrouted paths are {@code NOT_FOUND}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestMetricsFilter implements Ordered {

    /** Meter name, as Micronaut and Spring name it, so existing dashboards work. */
    static final String NAME = "http.server.requests";
    private static final String START = "floe.metrics.start-nanos";
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry meters;

    public RequestMetricsFilter(MeterRegistry meters) {
        this.meters = meters;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(START, System.nanoTime());
    }

    @ResponseFilter
    public void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Long start = request.getAttribute(START, Long.class).orElse(null);
        if (start == null) {
            return;
        }
        String uri = request.getAttribute(HttpAttributes.ROUTE_MATCH, UriRouteMatch.class)
                .map(match -> match.getRouteInfo().getUriMatchTemplate().toPathString())
                .orElse("NOT_FOUND");
        String exception = response.getAttribute(HttpAttributes.EXCEPTION, Throwable.class)
                .map(e -> e.getClass().getSimpleName()).orElse("none");
        Timer.builder(NAME)
                .description("HTTP requests by route template, method and status")
                .tags("method", request.getMethodName(), "uri", uri, "status", Integer.toString(response.code()),
                        "exception", exception)
                .serviceLevelObjectives(BUCKETS)
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.METRICS.order();
    }
}
