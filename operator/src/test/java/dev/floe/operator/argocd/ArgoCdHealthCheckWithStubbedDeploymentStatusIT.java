package dev.floe.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.testing.ArgoCdHealth;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health checks of docs/operator.md, run with gopher-lua on the status the operator
 * really wrote on a real API server: Healthy, Progressing, Degraded and Suspended for both kinds.
 * Without kube-controller-manager and kubelet, the test stands in for them by writing the catalog
 * Deployment's status (ready replicas, a stuck rollout) itself; everything else is the operator's.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class ArgoCdHealthCheckWithStubbedDeploymentStatusIT {
    static final String NS = "default";
    static final String CATALOG = "floe.dev_IcebergCatalog";
    static final String BINDING = "floe.dev_KmsBinding";
    static final Duration WAIT = Duration.ofSeconds(60);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Resources resources;
    static Path kubeconfig;
    static ArgoCdHealth argocd;

    @BeforeAll
    static void start() {
        argocd = ArgoCdHealth.fromDocs();
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        operator = OperatorRunner.start(operatorClient.client());
        resources = new Resources(client, NS);
        resources.localKms("kms", null);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        operatorClient.close();
        client.close();
    }

    static ArgoCdHealth.Verdict health(String groupKind, String resource, String name) {
        String json = KubeTools.kubectl(kubeconfig, null, "get", resource, name, "-n", NS, "-o", "json")
                .assertOk()
                .out();
        return argocd.of(groupKind, json);
    }

    static void awaitHealth(String groupKind, String resource, String name, String status, String messagePart) {
        await().atMost(WAIT).untilAsserted(() -> {
            ArgoCdHealth.Verdict verdict = health(groupKind, resource, name);
            assertThat(verdict.status()).as(name + ": " + verdict.message()).isEqualTo(status);
            assertThat(verdict.message()).contains(messagePart);
        });
    }

    static void postgresCatalog(String name, String binding, int replicas) {
        resources.secret(name + "-db", Map.of("username", "floe", "password", "not-a-real-password"));
        resources.apply(Fixtures.postgresCatalog(name, binding, replicas, ""));
    }

    /** Stands in for kube-controller-manager and the kubelet: the Deployment's pods are up, or its rollout is stuck. */
    static void deploymentStatus(String name, int ready, boolean stuck) {
        // Retried: the operator may update the Deployment in between (409 Conflict on a stale resourceVersion).
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            Deployment d =
                    client.apps().deployments().inNamespace(NS).withName(name).get();
            var status = new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(ready)
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withUpdatedReplicas(ready);
            if (stuck) {
                status.addToConditions(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .withReason("ProgressDeadlineExceeded")
                        .withMessage("ReplicaSet \"" + name + "-1\" has timed out progressing.")
                        .build());
            }
            d.setStatus(status.build());
            client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
        });
    }

    @Test
    void aCatalogIsProgressingUntilItsPodsAreReadyThenHealthyThenDegradedWhenItsRolloutIsStuck() {
        postgresCatalog("lifecycle", "kms", 1);
        awaitHealth(CATALOG, "icebergcatalog", "lifecycle", "Progressing", "0 of 1 catalog pods are ready");

        deploymentStatus("lifecycle", 1, false);
        awaitHealth(
                CATALOG,
                "icebergcatalog",
                "lifecycle",
                "Healthy",
                "The catalog serves https://lifecycle.default.svc:8443");

        deploymentStatus("lifecycle", 1, true);
        awaitHealth(CATALOG, "icebergcatalog", "lifecycle", "Degraded", "has timed out progressing");
    }

    @Test
    void aCatalogWhoseBindingDoesNotExistIsDegraded() {
        postgresCatalog("orphan", "no-such-binding", 1);
        awaitHealth(CATALOG, "icebergcatalog", "orphan", "Degraded", "Create KmsBinding no-such-binding");
    }

    @Test
    void aPausedCatalogAndACatalogScaledToZeroAreSuspended() {
        postgresCatalog("paused", "kms", 1);
        awaitHealth(CATALOG, "icebergcatalog", "paused", "Progressing", "catalog pods are ready");
        resources.annotate(IcebergCatalog.class, "paused", "floe.dev/pause-reconciliation", "true");
        awaitHealth(CATALOG, "icebergcatalog", "paused", "Suspended", "floe.dev/pause-reconciliation");

        postgresCatalog("stopped", "kms", 0);
        awaitHealth(CATALOG, "icebergcatalog", "stopped", "Suspended", "spec.replicas is 0");
    }

    @Test
    void aBindingIsHealthyWhenReadyDegradedWithoutCredentialsAndSuspendedWhenPaused() {
        awaitHealth(BINDING, "kmsbinding", "kms", "Healthy", "Bound catalogs can use");

        resources.apply(Fixtures.localBinding("no-secret", null));
        awaitHealth(BINDING, "kmsbinding", "no-secret", "Degraded", "Credentials are missing");

        resources.localKms("held", null);
        awaitHealth(BINDING, "kmsbinding", "held", "Healthy", "Bound catalogs can use");
        resources.annotate(KmsBinding.class, "held", "floe.dev/pause-reconciliation", "true");
        awaitHealth(BINDING, "kmsbinding", "held", "Suspended", "floe.dev/pause-reconciliation");
    }

    @Test
    void anObjectWithoutStatusIsProgressing() {
        // What Argo CD sees in the instant after a sync, before the operator wrote anything.
        String fresh =
                "{\"apiVersion\":\"floe.dev/v1alpha1\",\"kind\":\"IcebergCatalog\",\"metadata\":{\"name\":\"x\",\"generation\":1},\"spec\":{}}";
        assertThat(argocd.of(CATALOG, fresh))
                .isEqualTo(new ArgoCdHealth.Verdict("Progressing", "Waiting for the Floe operator to report status"));
        String behind =
                "{\"metadata\":{\"name\":\"x\",\"generation\":3},\"status\":{\"observedGeneration\":2,\"conditions\":"
                        + "[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"CatalogReady\",\"message\":\"ok\"}]}}";
        assertThat(argocd.of(CATALOG, behind).status()).isEqualTo("Progressing");
        assertThat(argocd.of(BINDING, behind).status()).isEqualTo("Progressing");
    }
}
