package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.OperatorVersion;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
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
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog image is the operator's decision at reconcile time, not a value frozen into each
 * resource: on a real kube-apiserver + etcd, a catalog without spec.image runs the operator's
 * default (Deployment, rotation CronJob, rotate-now Job, status.image), an operator restarted with
 * another FLOE_CATALOG_IMAGE rolls it to the new image, and a catalog with spec.image keeps its own.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class CatalogImageUpgradeIT {
    static final String NS = "default";
    static final String VERSION_DEFAULT = "ghcr.io/floe-dev/floe:" + OperatorVersion.current();
    static final String NEW_DEFAULT = "registry.example/floe:9.9.9";
    static final String PINNED = "registry.example/floe:pinned";

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Resources ns;

    @BeforeAll
    static void installCrds() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        ns = new Resources(client, NS);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        operatorClient.close();
        client.close();
    }

    static String deploymentImage(String name) {
        return ns.get(Deployment.class, name)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    static String cronJobImage(String name) {
        return ns.get(CronJob.class, name + "-rotate-keys")
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    static String statusImage(String name) {
        IcebergCatalog c = ns.get(IcebergCatalog.class, name);
        return c.getStatus() == null ? null : c.getStatus().image();
    }

    /** The object once its resourceVersion has held for 3 s (the first operator has converged on it). */
    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T settled(Class<T> type, String name) {
        return await().atMost(Resources.WAIT)
                .until(
                        () -> {
                            T before = ns.get(type, name);
                            await().pollDelay(java.time.Duration.ofSeconds(3))
                                    .atMost(java.time.Duration.ofSeconds(4))
                                    .until(() -> true);
                            T after = ns.get(type, name);
                            return after.getMetadata()
                                            .getResourceVersion()
                                            .equals(before.getMetadata().getResourceVersion())
                                    ? after
                                    : null;
                        },
                        r -> r != null);
    }

    static void awaitImage(String catalog, String image) {
        await().atMost(Resources.WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(deploymentImage(catalog)).as(catalog + " Deployment").isEqualTo(image);
            assertThat(cronJobImage(catalog)).as(catalog + " rotation CronJob").isEqualTo(image);
            assertThat(statusImage(catalog)).as(catalog + " status.image").isEqualTo(image);
        });
    }

    @Test
    void catalogsWithoutSpecImageFollowTheOperatorsDefaultAcrossARestartAndPinnedOnesKeepTheirs() {
        operator = OperatorRunner.start(operatorClient.client());
        ns.localKms("img-kms", "0 3 * * 0");
        ns.apply(Fixtures.embeddedCatalog("follows", "img-kms"));
        ns.apply(Fixtures.catalog("pinned", "img-kms", 1, "embedded:\n  size: 1Gi", "image: " + PINNED));

        // No default is stored in the resource; the operator's own version decides.
        assertThat(ns.get(IcebergCatalog.class, "follows").getSpec().image()).isNull();
        awaitImage("follows", VERSION_DEFAULT);
        awaitImage("pinned", PINNED);
        Deployment pinnedBefore = settled(Deployment.class, "pinned");
        CronJob pinnedCronBefore = settled(CronJob.class, "pinned-rotate-keys");

        // An upgraded operator: same resources, another default.
        operator.close();
        operator = OperatorRunner.start(operatorClient.client(), Map.of("FLOE_CATALOG_IMAGE", NEW_DEFAULT));
        awaitImage("follows", NEW_DEFAULT);
        assertThat(ns.get(IcebergCatalog.class, "follows").getSpec().image())
                .as("still nothing written into spec")
                .isNull();

        // A one-off rotation Job started by the reconciler uses the same resolved image.
        ns.annotate(IcebergCatalog.class, "follows", CatalogNames.ROTATE_NOW, "upgrade-1");
        Job job = await().atMost(Resources.WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NS)
                                .withLabel(CatalogNames.CATALOG_LABEL, "follows")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(NEW_DEFAULT);

        // Make sure the new operator has reconciled the pinned catalog (observedGeneration of a
        // spec change that touches only its Service), then check its pods were not touched.
        ns.apply(Fixtures.catalog(
                "pinned",
                "img-kms",
                1,
                "embedded:\n  size: 1Gi",
                "image: " + PINNED + "\nservice:\n  annotations:\n    example.com/touched: \"yes\""));
        await().atMost(Resources.WAIT).untilAsserted(() -> {
            IcebergCatalog pinned = ns.get(IcebergCatalog.class, "pinned");
            assertThat(pinned.getStatus().observedGeneration())
                    .isEqualTo(pinned.getMetadata().getGeneration());
            assertThat(ns.get(io.fabric8.kubernetes.api.model.Service.class, "pinned")
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry("example.com/touched", "yes");
        });
        assertThat(statusImage("pinned")).isEqualTo(PINNED);
        Deployment pinnedAfter = ns.get(Deployment.class, "pinned");
        assertThat(pinnedAfter
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo(PINNED);
        assertThat(pinnedAfter.getMetadata().getResourceVersion())
                .as("the pinned catalog's Deployment was not rewritten")
                .isEqualTo(pinnedBefore.getMetadata().getResourceVersion());
        assertThat(ns.get(CronJob.class, "pinned-rotate-keys").getMetadata().getResourceVersion())
                .as("the pinned catalog's CronJob was not rewritten")
                .isEqualTo(pinnedCronBefore.getMetadata().getResourceVersion());
    }
}
