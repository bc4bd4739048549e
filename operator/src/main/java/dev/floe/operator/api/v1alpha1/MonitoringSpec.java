package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** How Prometheus finds the catalog's metrics. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringSpec(
        @JsonPropertyDescription(
                "A prometheus-operator ServiceMonitor (monitoring.coreos.com/v1) for the catalog's /metrics.")
        ServiceMonitorSpec serviceMonitor) {

    /** The ServiceMonitor the operator makes, next to the catalog's Service. */
    @ValidationRule(
            value = "!has(self.interval) || self.interval.matches('^([0-9]+(ms|s|m|h))+$')",
            message = "spec.monitoring.serviceMonitor.interval is a Prometheus duration such as 30s, 1m or 1m30s",
            reason = "FieldValueInvalid")
    @ValidationRule(
            value = "!has(self.labels) || !('app.kubernetes.io/managed-by' in self.labels)",
            message =
                    "spec.monitoring.serviceMonitor.labels must not set app.kubernetes.io/managed-by: the operator finds its ServiceMonitors by it",
            reason = "FieldValueForbidden")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceMonitorSpec(
            @JsonPropertyDescription(
                    "Create a ServiceMonitor for this catalog. Needs the prometheus-operator CRDs in the cluster; without them the catalog reports MonitoringReady=False, reason PrometheusOperatorNotInstalled, and runs as usual.")
            @Default("false")
            Boolean enabled,

            @JsonPropertyDescription(
                    "How often Prometheus scrapes the catalog, e.g. 30s. Unset: the Prometheus default.")
            String interval,

            @JsonPropertyDescription(
                    "Labels added to the ServiceMonitor, for the serviceMonitorSelector of your Prometheus (e.g. release: kube-prometheus-stack).")
            Map<String, String> labels) {}

    public static boolean serviceMonitorEnabled(MonitoringSpec spec) {
        return spec != null
                && spec.serviceMonitor() != null
                && Boolean.TRUE.equals(spec.serviceMonitor().enabled());
    }
}
