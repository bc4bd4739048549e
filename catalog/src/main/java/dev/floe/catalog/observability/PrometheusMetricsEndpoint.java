package dev.floe.catalog.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.configuration.metrics.management.endpoint.MetricsEndpoint;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;

/**
 * Prometheus text exposition at {@code /metrics}, the path the issue, the operator's pod annotations
 * and most scrapers expect. It replaces Micronaut's JSON {@code /metrics} endpoint (a browsing aid
 * that would expose every meter name to anyone who can reach the port). Being a management endpoint,
 * it moves to the management port with {@code /health} when one is configured. Micronaut's
 * {@code /prometheus} endpoint serves the same text and stays for scrapers already pointed at it.
 */
@Endpoint(id = "metrics", defaultSensitive = false)
@Replaces(MetricsEndpoint.class)
public class PrometheusMetricsEndpoint {

    /** The content type of Prometheus' text format 0.0.4, which every Prometheus version accepts. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusMetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Read(produces = CONTENT_TYPE)
    public String scrape() {
        return registry.scrape();
    }
}
