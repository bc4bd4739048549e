package dev.floe.catalog.rest;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the scan and commit reports engines send to {@code POST …/metrics}: a counter per
 * report type and one debug log line per report.
 */
@Singleton
public class MetricsReports {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReports.class);

    private final MeterRegistry registry;

    public MetricsReports(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String warehouse, TableIdentifier table, ReportMetricsRequest report) {
        registry.counter(
                        "floe.metrics.reports",
                        "type",
                        report.reportType().name().toLowerCase(java.util.Locale.ROOT))
                .increment();
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "metrics report warehouse={} table={} type={} report={}",
                    warehouse,
                    table,
                    report.reportType(),
                    report.report());
        }
    }

    /** Reports received so far of one type ({@code scan_report}, {@code commit_report}, {@code unknown}). */
    public double count(String type) {
        var counter = registry.find("floe.metrics.reports").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }
}
