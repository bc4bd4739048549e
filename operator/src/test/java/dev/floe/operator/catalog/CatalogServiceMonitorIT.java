package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.OperatorMetrics;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.monitoring.ServiceMonitor;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * spec.monitoring.serviceMonitor on a real kube-apiserver: first without the prometheus-operator
 * CRDs (a condition says why nothing is made, the catalog is otherwise unaffected), then with
 * prometheus-operator's own CRDs (test data, v0.93.0) installed while the operator runs: the
 * ServiceMonitor appears without an operator restart, passes the real schema, and goes away when
 * disabled. Also the operator's Prometheus registry: JOSDK reconciliation and JVM meters.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogServiceMonitorIT {
    static final String NS = "default";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final Path PROMETHEUS_OPERATOR_CRDS = Path.of("src/test/resources/prometheus-operator");

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static OperatorMetrics metrics = OperatorMetrics.create();

    @BeforeAll
    static void startOperator() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        operator = OperatorRunner.start(operatorClient.client(), Map.of(), metrics.josdk());
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("kms-credentials")
                        .endMetadata()
                        .withStringData(Map.of("master-key", Base64.getEncoder().encodeToString(new byte[32])))
                        .build())
                .serverSideApply();
        apply(Fixtures.localBinding("kms", null));
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        operatorClient.close();
        client.close();
    }

    static void apply(String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .inNamespace(NS)
                .forceConflicts()
                .serverSideApply();
    }

    static String monitored(String name, String serviceMonitor) {
        return Fixtures.catalog(
                name,
                "kms",
                1,
                "embedded:\n  size: 1Gi",
                "monitoring:\n  serviceMonitor:\n"
                        + serviceMonitor.lines().map(l -> "    " + l + "\n").reduce("", String::concat));
    }

    static Condition condition(String catalog, String type) {
        IcebergCatalog c = client.resources(IcebergCatalog.class)
                .inNamespace(NS)
                .withName(catalog)
                .get();
        return c == null || c.getStatus() == null || c.getStatus().conditions() == null
                ? null
                : c.getStatus().conditions().stream()
                        .filter(x -> type.equals(x.getType()))
                        .findFirst()
                        .orElse(null);
    }

    static GenericKubernetesResource serviceMonitor(String name) {
        return client.genericKubernetesResources(
                        ServiceMonitor.GROUP + "/" + ServiceMonitor.VERSION, ServiceMonitor.KIND)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    @Test
    @Order(1)
    void withoutPrometheusOperatorTheCatalogSaysSoAndRunsAsUsual() {
        apply(monitored("asked", "enabled: true\ninterval: 30s\nlabels:\n  release: prom"));
        apply(Fixtures.embeddedCatalog("plain", "kms"));

        await().atMost(WAIT).untilAsserted(() -> {
            Condition c = condition("asked", CatalogStatusBuilder.MONITORING_READY);
            assertThat(c).isNotNull();
            assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("False/PrometheusOperatorNotInstalled");
            assertThat(c.getMessage()).contains("servicemonitors.monitoring.coreos.com");
        });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("asked")
                                .get())
                        .isNotNull());
        // Ready and Degraded do not depend on monitoring; a catalog that did not ask has no such condition.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(condition("plain", CatalogStatusBuilder.READY))
                        .isNotNull());
        assertThat(condition("asked", CatalogStatusBuilder.READY).getReason())
                .isNotEqualTo("PrometheusOperatorNotInstalled");
        assertThat(condition("asked", CatalogStatusBuilder.DEGRADED).getStatus())
                .isEqualTo("False");
        assertThat(condition("plain", CatalogStatusBuilder.MONITORING_READY)).isNull();
    }

    @Test
    @Order(2)
    void theSchemaRejectsABadIntervalAndTheOperatorsOwnLabel() {
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        var badInterval = KubeTools.kubectl(
                kubeconfig, monitored("bad", "enabled: true\ninterval: 30 seconds"), "apply", "-n", NS, "-f", "-");
        assertThat(badInterval.exitCode()).isNotZero();
        assertThat(badInterval.err()).contains("spec.monitoring.serviceMonitor.interval is a Prometheus duration");
        var ownLabel = KubeTools.kubectl(
                kubeconfig,
                monitored("bad", "enabled: true\nlabels:\n  app.kubernetes.io/managed-by: me"),
                "apply",
                "-n",
                NS,
                "-f",
                "-");
        assertThat(ownLabel.exitCode()).isNotZero();
        assertThat(ownLabel.err()).contains("must not set app.kubernetes.io/managed-by");
        KubeTools.kubectl(
                        kubeconfig,
                        monitored("good", "enabled: true\ninterval: 1m30s"),
                        "apply",
                        "--dry-run=server",
                        "-n",
                        NS,
                        "-f",
                        "-")
                .assertOk();
    }

    @Test
    @Order(3)
    void installingPrometheusOperatorLaterGetsTheCatalogAServiceMonitorThatFitsItsSchema() {
        Crds.install(client, PROMETHEUS_OPERATOR_CRDS);

        // No operator restart: the operator looks for the CRD again while a catalog asks for it.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(serviceMonitor("asked")).isNotNull());
        GenericKubernetesResource monitor = serviceMonitor("asked");
        assertThat(monitor.getMetadata().getLabels())
                .containsEntry("release", "prom")
                .containsEntry(CatalogNames.MANAGED_BY, CatalogNames.OPERATOR);
        assertThat(monitor.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("IcebergCatalog/asked"));
        Map<String, Object> selector = monitor.get("spec", "selector", "matchLabels");
        assertThat(selector)
                .isEqualTo(Map.of("app.kubernetes.io/name", "floe-catalog", "app.kubernetes.io/instance", "asked"));
        // The catalog's Service carries these labels, so Prometheus finds exactly this catalog.
        assertThat(client.services()
                        .inNamespace(NS)
                        .withName("asked")
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsAllEntriesOf(
                        Map.of("app.kubernetes.io/name", "floe-catalog", "app.kubernetes.io/instance", "asked"));
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(e)
                    .containsEntry("port", "https")
                    .containsEntry("scheme", "https")
                    .containsEntry("path", "/metrics")
                    .containsEntry("interval", "30s");
            assertThat(e.get("tlsConfig"))
                    .isEqualTo(Map.of(
                            "serverName",
                            "asked.default.svc",
                            "ca",
                            Map.of("secret", Map.of("name", "asked-selfsigned-tls", "key", "ca.crt"))));
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Condition c = condition("asked", CatalogStatusBuilder.MONITORING_READY);
            assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("True/ServiceMonitorCreated");
        });
        assertThat(serviceMonitor("plain")).isNull();

        // Disabled: the ServiceMonitor is deleted and the condition goes away.
        apply(monitored("asked", "enabled: false"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(serviceMonitor("asked")).isNull();
            assertThat(condition("asked", CatalogStatusBuilder.MONITORING_READY))
                    .isNull();
        });
    }

    @Test
    @Order(4)
    void theOperatorsRegistryHasReconciliationAndJvmMeters() {
        String text = metrics.scrape();
        assertThat(text)
                .contains(
                        "operator_sdk_reconciliations_started_total",
                        "operator_sdk_reconciliations_success_total",
                        "jvm_memory_used_bytes",
                        "jvm_threads_live_threads");
        assertThat(text)
                .containsPattern(
                        "operator_sdk_reconciliations_started_total\\{[^}]*kind=\"IcebergCatalog\"[^}]*\\} [1-9]")
                .containsPattern(
                        "operator_sdk_controllers_execution_reconcile_seconds_count\\{controller=\"icebergcatalog\"[^}]*\\} [1-9]");
    }
}
