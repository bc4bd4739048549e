package dev.floe.operator;

import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator's Prometheus registry, served at {@code /metrics}: JOSDK's reconciliation meters
 * ({@code operator_sdk_*}, per controller, not per resource so the series count stays bounded
 * with thousands of catalogs) plus the JVM's memory, GC, thread, class-loading, CPU and uptime
 * meters, so an operator running out of heap shows before it is OOM-killed.
 *
 * @param registry the registry to scrape
 * @param josdk    the JOSDK metrics to hand to {@link FloeOperators#create}
 */
public record OperatorMetrics(PrometheusMeterRegistry registry, MicrometerMetrics josdk) {

    public static OperatorMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        // Never closed: it watches GC notifications for the life of the process.
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new OperatorMetrics(registry, MicrometerMetrics.withoutPerResourceMetrics(registry));
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
