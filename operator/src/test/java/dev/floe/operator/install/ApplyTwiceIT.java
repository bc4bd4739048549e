package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Argo CD and Flux do on every sync: apply the same manifests again. On a real API server with
 * the operator running in-process: crds/, deploy/default (kustomize), the embedded sample's
 * KmsBinding and IcebergCatalog and a PostgreSQL catalog with a ServiceMonitor (prometheus-operator's
 * CRDs installed). After the operator has converged, a second `kubectl apply` of the same files
 * leaves `kubectl diff` empty, and neither it nor the operator changes the resourceVersion or
 * generation of the custom resources or of anything the operator owns over a settle period.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class ApplyTwiceIT {
    static final String NS = "default";
    static final String SAMPLE = "deploy/samples/embedded-local-kms.yaml";
    static final String MONITORED = "operator/src/test/resources/apply-twice/monitored-catalog.yaml";
    static final Duration SETTLE = Duration.ofSeconds(20);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Path kubeconfig;

    @BeforeAll
    static void start() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        Crds.install(client, Path.of("src/test/resources/prometheus-operator"));
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        operatorClient.close();
        client.close();
    }

    /** The user's commands, as docs/operator.md gives them. */
    static void applyEverything() {
        KubeTools.kubectl(kubeconfig, null, "apply", "-f", "crds/").assertOk();
        KubeTools.kubectl(
                        kubeconfig,
                        null,
                        "wait",
                        "--for=condition=Established",
                        "--timeout=60s",
                        "crd/icebergcatalogs.floe.dev",
                        "crd/kmsbindings.floe.dev")
                .assertOk();
        KubeTools.kubectl(kubeconfig, null, "apply", "-k", "deploy/default").assertOk();
        KubeTools.kubectl(kubeconfig, null, "apply", "-n", NS, "-f", SAMPLE).assertOk();
        KubeTools.kubectl(kubeconfig, null, "apply", "-n", NS, "-f", MONITORED).assertOk();
    }

    /** kind/namespace/name -> resourceVersion/generation of the custom resources and everything the operator made. */
    static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        List<HasMetadata> objects = new java.util.ArrayList<>();
        objects.addAll(
                client.resources(IcebergCatalog.class).inNamespace(NS).list().getItems());
        objects.addAll(client.resources(dev.floe.operator.api.v1alpha1.KmsBinding.class)
                .inNamespace(NS)
                .list()
                .getItems());
        String managed = "app.kubernetes.io/managed-by=floe-operator";
        objects.addAll(client.serviceAccounts()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.configMaps()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.secrets()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.services()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.persistentVolumeClaims().inNamespace(NS).list().getItems());
        objects.addAll(client.apps()
                .deployments()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.batch()
                .v1()
                .cronjobs()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withLabelSelector(managed)
                .list()
                .getItems());
        objects.addAll(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                .inNamespace(NS)
                .list()
                .getItems());
        // deploy/default's own objects: the second apply must not change them either.
        objects.addAll(
                client.apps().deployments().inNamespace("floe-system").list().getItems());
        objects.addAll(client.services().inNamespace("floe-system").list().getItems());
        objects.addAll(client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace("floe-system")
                .list()
                .getItems());
        for (HasMetadata o : objects) {
            versions.put(
                    o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                            + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion() + "/" + o.getMetadata().getGeneration());
        }
        return versions;
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

    @Test
    void applyingTheSameManifestsAgainChangesNothing() {
        KubeTools.kubectl(
                        kubeconfig,
                        null,
                        "create",
                        "secret",
                        "generic",
                        "dev-master-key",
                        "-n",
                        NS,
                        "--from-literal=master-key="
                                + java.util.Base64.getEncoder().encodeToString(new byte[32]))
                .assertOk();
        applyEverything();
        operator = OperatorRunner.start(operatorClient.client());

        // Converged: every object exists, the status reflects the spec, and nothing changes for a while.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(condition("dev-catalog", "KmsReady"))
                    .extracting(Condition::getStatus)
                    .isEqualTo("True");
            assertThat(condition("metrics", "MonitoringReady"))
                    .extracting(Condition::getReason)
                    .isEqualTo("ServiceMonitorCreated");
            assertThat(client.batch()
                            .v1()
                            .cronjobs()
                            .inNamespace(NS)
                            .withName("dev-catalog-rotate-keys")
                            .get())
                    .isNotNull();
            assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
                            .inNamespace(NS)
                            .withName("metrics")
                            .get())
                    .isNotNull();
            assertThat(client.policy()
                            .v1()
                            .podDisruptionBudget()
                            .inNamespace(NS)
                            .withName("metrics")
                            .get())
                    .isNotNull();
        });
        await("the operator stops writing: no object changes for 5 s")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, String> before = versions();
                    await().pollDelay(Duration.ofSeconds(5))
                            .atMost(Duration.ofSeconds(6))
                            .until(() -> true);
                    return before.equals(versions());
                });
        Map<String, String> converged = versions();
        assertThat(converged)
                .containsKeys(
                        "IcebergCatalog/default/dev-catalog",
                        "KmsBinding/default/dev-local-key",
                        "Deployment/default/dev-catalog",
                        "ServiceMonitor/default/metrics",
                        "Deployment/floe-system/floe-operator");

        applyEverything();
        for (String[] target : List.of(
                new String[] {"-f", "crds/"},
                new String[] {"-k", "deploy/default"},
                new String[] {"-n", NS, "-f", SAMPLE},
                new String[] {"-n", NS, "-f", MONITORED})) {
            List<String> args = new java.util.ArrayList<>(List.of("diff"));
            args.addAll(List.of(target));
            var diff = KubeTools.kubectl(kubeconfig, null, args.toArray(String[]::new));
            assertThat(diff.exitCode())
                    .as("kubectl " + String.join(" ", args) + ":\n" + diff.out() + diff.err())
                    .isZero();
            assertThat(diff.out()).isEmpty();
        }
        await().during(SETTLE)
                .atMost(SETTLE.plusSeconds(5))
                .untilAsserted(() -> assertThat(versions()).isEqualTo(converged));
    }
}
