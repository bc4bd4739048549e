package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.MonitoringSpec;
import dev.floe.operator.monitoring.ServiceMonitor;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prometheus-operator ServiceMonitor scraping the catalog's {@code /metrics} through its Service,
 * when spec.monitoring.serviceMonitor.enabled and the ServiceMonitor CRD exists. Prometheus checks
 * the catalog's certificate against the {@code ca.crt} of its TLS Secret, under the Service's DNS
 * name; the metrics endpoint needs no credentials.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class ServiceMonitorDependent extends CRUDKubernetesDependentResource<ServiceMonitor, IcebergCatalog> {

    @Override
    protected ServiceMonitor desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        MonitoringSpec.ServiceMonitorSpec spec = catalog.getSpec().monitoring().serviceMonitor();
        Map<String, String> labels = new LinkedHashMap<>();
        if (spec.labels() != null) {
            labels.putAll(spec.labels());
        }
        // The operator's own labels win: its informer finds the object by them.
        labels.putAll(CatalogNames.labels(catalog, "metrics"));

        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", "https");
        endpoint.put("scheme", "https");
        endpoint.put("path", "/metrics");
        if (spec.interval() != null) {
            endpoint.put("interval", spec.interval());
        }
        endpoint.put(
                "tlsConfig",
                Map.of(
                        "serverName",
                        CatalogNames.service(catalog) + "."
                                + catalog.getMetadata().getNamespace() + ".svc",
                        "ca",
                        Map.of("secret", Map.of("name", CatalogNames.tlsSecret(catalog), "key", "ca.crt"))));

        ServiceMonitor monitor = new ServiceMonitor();
        monitor.setMetadata(new ObjectMetaBuilder()
                .withName(CatalogNames.service(catalog))
                .withNamespace(catalog.getMetadata().getNamespace())
                .withLabels(labels)
                .build());
        monitor.setAdditionalProperty(
                "spec",
                Map.of(
                        "selector", Map.of("matchLabels", CatalogNames.selector(catalog)),
                        "endpoints", List.of(endpoint)));
        return monitor;
    }
}
