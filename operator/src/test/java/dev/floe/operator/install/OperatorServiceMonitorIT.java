package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Helm;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.Manifests;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's own ServiceMonitor, from the Helm chart (metrics.serviceMonitor.enabled) and from
 * deploy/monitoring, against prometheus-operator's real CRD (test data, v0.93.0) on a real API
 * server: accepted by a server-side dry run, and selecting exactly the metrics Service beside it.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class OperatorServiceMonitorIT {
    static final String SERVICE_MONITOR_API = "monitoring.coreos.com/v1/ServiceMonitor";

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static Path kubeconfig;
    static Helm helm;

    @BeforeAll
    static void start() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        helm = Helm.forCluster(kubeconfig);
        Crds.install(client, Path.of("src/test/resources/prometheus-operator"));
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("floe-system")
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void helmRendersAServiceMonitorForTheMetricsServiceOnlyWhereTheApiExists() {
        List<String> enabled = List.of(
                "template",
                "floe-operator",
                HelmChartIT.CHART,
                "--namespace",
                "floe-system",
                "--set",
                "metrics.serviceMonitor.enabled=true",
                "--set",
                "metrics.serviceMonitor.interval=15s",
                "--set",
                "metrics.serviceMonitor.labels.release=prom");
        String without = helm.run(enabled.toArray(String[]::new)).assertOk().out();
        assertThat(Manifests.parse(without)).noneMatch(o -> o.getKind().equals("ServiceMonitor"));

        List<String> withApi = new java.util.ArrayList<>(enabled);
        withApi.addAll(List.of("--api-versions", SERVICE_MONITOR_API));
        String manifest = helm.run(withApi.toArray(String[]::new)).assertOk().out();
        assertSelectsTheMetricsService(manifest, "floe-operator");
        GenericKubernetesResource monitor = serviceMonitor(Manifests.parse(manifest));
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> assertThat(e).containsEntry("interval", "15s"));
        KubeTools.kubectl(kubeconfig, manifest, "apply", "--server-side", "--dry-run=server", "-f", "-")
                .assertOk();

        var badInterval = helm.run("lint", HelmChartIT.CHART, "--set", "metrics.serviceMonitor.interval=15 seconds");
        assertThat(badInterval.exitCode()).isNotZero();
        assertThat(badInterval.out()).contains("/metrics/serviceMonitor/interval");
    }

    @Test
    void deployMonitoringAddsAServiceMonitorForTheMetricsService() {
        String manifest = KubeTools.kubectl(kubeconfig, null, "kustomize", "deploy/monitoring")
                .assertOk()
                .out();
        assertSelectsTheMetricsService(manifest, "floe-operator");
        var run = KubeTools.kubectl(kubeconfig, manifest, "apply", "--server-side", "--dry-run=server", "-f", "-")
                .assertOk();
        assertThat(run.out())
                .contains("servicemonitor.monitoring.coreos.com/floe-operator serverside-applied (server dry run)");
    }

    static GenericKubernetesResource serviceMonitor(List<HasMetadata> objects) {
        return objects.stream()
                .filter(o -> o.getKind().equals("ServiceMonitor"))
                .map(GenericKubernetesResource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ServiceMonitor rendered"));
    }

    /** The ServiceMonitor's selector matches the metrics Service and its port name, and no other Service. */
    static void assertSelectsTheMetricsService(String manifest, String name) {
        List<HasMetadata> objects = Manifests.parse(manifest);
        GenericKubernetesResource monitor = serviceMonitor(objects);
        assertThat(monitor.getMetadata().getName()).isEqualTo(name);
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        List<Service> matching = objects.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
        assertThat(matching).extracting(s -> s.getMetadata().getName()).containsExactly("floe-operator-metrics");
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints)
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .containsEntry(
                                "port",
                                matching.get(0).getSpec().getPorts().get(0).getName())
                        .containsEntry("path", "/metrics"));
    }
}
