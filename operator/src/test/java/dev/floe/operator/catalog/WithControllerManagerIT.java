package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator with a real kube-controller-manager beside the API server (no scheduler, no
 * kubelet): Deployments get ReplicaSets, the catalog's objects are garbage-collected when it is
 * deleted, and the rotation CronJob and one-off Jobs turn into Jobs and Pods.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class WithControllerManagerIT {
    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Process controllerManager;
    static Resources ns;

    @BeforeAll
    static void start() throws IOException {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("kube-controller-manager", ".log");
        controllerManager = new ProcessBuilder(
                        KubeTools.binaryDir().resolve("kube-controller-manager").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--authentication-kubeconfig=" + kubeconfig,
                        "--authorization-kubeconfig=" + kubeconfig,
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + port,
                        "--leader-elect=false",
                        "--controllers=*",
                        "--use-service-account-credentials=false",
                        "--profiling=false")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        operator = OperatorRunner.start(operatorClient.client());
        ns = new Resources(client, "default");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        operator.close();
        controllerManager.destroy();
        if (!controllerManager.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            controllerManager.destroyForcibly();
        }
        operatorClient.close();
        client.close();
    }

    @Test
    void deploymentGetsAReplicaSetAndDeletingTheCatalogCollectsItsObjects() {
        ns.localKms("gc-kms", null);
        ns.apply(Fixtures.postgresCatalog("gc", "gc-kms", 2, ""));
        Deployment deployment = ns.await(Deployment.class, "gc");
        List<ReplicaSet> replicaSets = await().atMost(Resources.WAIT)
                .until(
                        () -> client.apps()
                                .replicaSets()
                                .inNamespace("default")
                                .withLabel("app.kubernetes.io/instance", "gc")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty());
        assertThat(replicaSets.get(0).getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(deployment.getMetadata().getUid());
        assertThat(replicaSets.get(0).getSpec().getReplicas()).isEqualTo(2);
        await().atMost(Resources.WAIT)
                .until(() -> !client.pods()
                        .inNamespace("default")
                        .withLabel("app.kubernetes.io/instance", "gc")
                        .list()
                        .getItems()
                        .isEmpty());

        client.resources(IcebergCatalog.class)
                .inNamespace("default")
                .withName("gc")
                .delete();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(ns.get(Deployment.class, "gc")).isNull();
            assertThat(ns.get(ConfigMap.class, "gc-config")).isNull();
            assertThat(ns.get(Secret.class, "gc-admin-key")).isNull();
            assertThat(client.apps()
                            .replicaSets()
                            .inNamespace("default")
                            .withLabel("app.kubernetes.io/instance", "gc")
                            .list()
                            .getItems())
                    .isEmpty();
        });
        // Bound to no catalog any more.
        assertThat(ns.get(Secret.class, "gc-kms-credentials")).isNotNull();
    }

    @Test
    void rotationCronJobAndRotateNowProduceJobs() {
        ns.localKms("cron-kms", "* * * * *");
        ns.apply(Fixtures.embeddedCatalog("cron", "cron-kms"));
        ns.await(Deployment.class, "cron");
        ns.annotate(IcebergCatalog.class, "cron", CatalogNames.ROTATE_NOW, "now-1");
        // The one-off Job gets a Pod from the job controller.
        Job manual = await().atMost(Resources.WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace("default")
                                .withLabel(CatalogNames.ROTATION_LABEL, RotationJobs.MANUAL)
                                .withLabel(CatalogNames.CATALOG_LABEL, "cron")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);
        await().atMost(Resources.WAIT)
                .until(() -> !client.pods()
                        .inNamespace("default")
                        .withLabel("job-name", manual.getMetadata().getName())
                        .list()
                        .getItems()
                        .isEmpty());
        // The CronJob controller starts a scheduled Job at the next minute boundary.
        Job scheduled = await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace("default")
                                .withLabel(CatalogNames.ROTATION_LABEL, RotationJobs.SCHEDULED)
                                .withLabel(CatalogNames.CATALOG_LABEL, "cron")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);
        assertThat(scheduled.getMetadata().getOwnerReferences().get(0).getKind())
                .isEqualTo("CronJob");
        assertThat(scheduled
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs())
                .containsSubsequence("--endpoint", "https://cron:8443");
    }

    @Test
    void rotateNowOnABindingStartsOneJobPerBoundCatalogOnceAndReportsEachResult() {
        ns.localKms("multi-kms", null);
        ns.apply(Fixtures.embeddedCatalog("multi-a", "multi-kms"));
        ns.apply(Fixtures.embeddedCatalog("multi-b", "multi-kms"));
        ns.await(Deployment.class, "multi-a");
        ns.await(Deployment.class, "multi-b");
        await().atMost(Resources.WAIT)
                .until(
                        () -> ns.get(KmsBinding.class, "multi-kms").getStatus().boundCatalogs(),
                        b -> b != null && b.containsAll(List.of("multi-a", "multi-b")));

        ns.annotate(KmsBinding.class, "multi-kms", CatalogNames.ROTATE_NOW, "binding-1");
        Job jobA = awaitOneManualJob("multi-a");
        Job jobB = awaitOneManualJob("multi-b");
        // The job controller gives each Job a Pod (no kubelet runs it).
        for (Job job : List.of(jobA, jobB)) {
            await().atMost(Resources.WAIT)
                    .until(() -> !client.pods()
                            .inNamespace("default")
                            .withLabel("job-name", job.getMetadata().getName())
                            .list()
                            .getItems()
                            .isEmpty());
        }

        // Stand-in for the kubelet: one rotation succeeds, the other fails.
        finish(jobA.getMetadata().getName(), true);
        finish(jobB.getMetadata().getName(), false);

        await().atMost(Resources.WAIT).untilAsserted(() -> {
            var a = ns.get(IcebergCatalog.class, "multi-a").getStatus().encryption();
            var b = ns.get(IcebergCatalog.class, "multi-b").getStatus().encryption();
            assertThat(a.lastRotationJob() + "/" + a.lastRotationResult())
                    .isEqualTo(jobA.getMetadata().getName() + "/Succeeded");
            assertThat(b.lastRotationJob() + "/" + b.lastRotationResult())
                    .isEqualTo(jobB.getMetadata().getName() + "/Failed");
            var binding = ns.get(KmsBinding.class, "multi-kms").getStatus();
            assertThat(binding.catalogRotations())
                    .extracting(r -> r.catalog() + "/" + r.job() + "/" + r.result())
                    .containsExactlyInAnyOrder(
                            "multi-a/" + jobA.getMetadata().getName() + "/Succeeded",
                            "multi-b/" + jobB.getMetadata().getName() + "/Failed");
            assertThat(binding.lastRotationTime()).isNotNull();
        });
        ns.awaitCondition("multi-b", "Degraded", "True", "RotationFailed");
        await().atMost(Resources.WAIT).untilAsserted(() -> {
            assertThat(ns.hasEvent("multi-a", "RotationSucceeded")).isTrue();
            assertThat(ns.hasEvent("multi-b", "RotationFailed")).isTrue();
            assertThat(ns.hasEvent("multi-kms", "RotationRequested")).isTrue();
            assertThat(ns.hasEvent("multi-kms", "RotationSucceeded")).isTrue();
            assertThat(ns.hasEvent("multi-kms", "RotationFailed")).isTrue();
        });

        // The same token again (and other changes that re-reconcile everything) starts nothing new.
        ns.annotate(KmsBinding.class, "multi-kms", CatalogNames.ROTATE_NOW, "binding-1");
        ns.annotate(KmsBinding.class, "multi-kms", "example.com/touched", "1");
        ns.annotate(IcebergCatalog.class, "multi-a", "example.com/touched", "1");
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(15))
                .until(() -> manualJobs("multi-a").size() == 1
                        && manualJobs("multi-b").size() == 1);
        // A new token is a new request.
        ns.annotate(KmsBinding.class, "multi-kms", CatalogNames.ROTATE_NOW, "binding-2");
        await().atMost(Resources.WAIT)
                .until(() -> manualJobs("multi-a").size() == 2
                        && manualJobs("multi-b").size() == 2);
    }

    static List<Job> manualJobs(String catalog) {
        return client.batch()
                .v1()
                .jobs()
                .inNamespace("default")
                .withLabel(CatalogNames.ROTATION_LABEL, RotationJobs.MANUAL)
                .withLabel(CatalogNames.CATALOG_LABEL, catalog)
                .list()
                .getItems();
    }

    static Job awaitOneManualJob(String catalog) {
        List<Job> jobs = await().atMost(Resources.WAIT).until(() -> manualJobs(catalog), l -> !l.isEmpty());
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    /**
     * Writes a finished Job status as the job controller would once a kubelet reported the pod's
     * exit (neither a scheduler nor a kubelet runs here). Retried: the job controller updates the
     * status of the same Job concurrently.
     */
    static void finish(String jobName, boolean succeeded) {
        await().atMost(Resources.WAIT)
                .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .untilAsserted(() -> {
                    Job job = client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .withName(jobName)
                            .get();
                    String now = java.time.Instant.now()
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString();
                    var status = new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder(job.getStatus())
                            .withActive(0)
                            .withReady(0)
                            .withTerminating(0)
                            .withUncountedTerminatedPods(null);
                    if (succeeded) {
                        status.withSucceeded(1)
                                .withCompletionTime(now)
                                .withConditions(
                                        condition("SuccessCriteriaMet", "CompletionsReached", now),
                                        condition("Complete", "CompletionsReached", now));
                    } else {
                        status.withFailed(3)
                                .withConditions(
                                        condition("FailureTarget", "BackoffLimitExceeded", now),
                                        condition("Failed", "BackoffLimitExceeded", now));
                    }
                    job.setStatus(status.build());
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .resource(job)
                            .updateStatus();
                    Job stored = client.batch()
                            .v1()
                            .jobs()
                            .inNamespace("default")
                            .withName(jobName)
                            .get();
                    assertThat(stored.getStatus().getConditions())
                            .anySatisfy(c -> assertThat(c.getType() + c.getStatus())
                                    .isEqualTo((succeeded ? "Complete" : "Failed") + "True"));
                });
    }

    static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(String type, String reason, String now) {
        return new io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder()
                .withType(type)
                .withStatus("True")
                .withReason(reason)
                .withLastTransitionTime(now)
                .withLastProbeTime(now)
                .build();
    }

    @Test
    void catalogPodsAndRotationJobPodsAreAdmittedInANamespaceWithAResourceQuota() {
        String namespace = "quota";
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        // A compute quota: from now on the API server admits only pods whose containers declare
        // requests.cpu, requests.memory and limits.memory (the pods are created by the ReplicaSet
        // and Job controllers, so a rejection shows as a missing pod and a FailedCreate).
        client.resourceQuotas()
                .inNamespace(namespace)
                .resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("compute")
                        .endMetadata()
                        .withNewSpec()
                        .withHard(java.util.Map.of(
                                "requests.cpu", new io.fabric8.kubernetes.api.model.Quantity("4"),
                                "requests.memory", new io.fabric8.kubernetes.api.model.Quantity("8Gi"),
                                "limits.memory", new io.fabric8.kubernetes.api.model.Quantity("16Gi")))
                        .endSpec()
                        .build())
                .create();
        // Quota admission waits for the quota controller to have computed the quota's status.
        await().atMost(Resources.WAIT).until(() -> {
            var quota = client.resourceQuotas()
                    .inNamespace(namespace)
                    .withName("compute")
                    .get();
            return quota.getStatus() != null
                    && quota.getStatus().getHard() != null
                    && !quota.getStatus().getHard().isEmpty();
        });
        Resources quotaNs = new Resources(client, namespace);
        quotaNs.localKms("q-kms", null);
        quotaNs.apply(Fixtures.postgresCatalog("q", "q-kms", 1, ""));
        quotaNs.await(Deployment.class, "q");

        await().atMost(Resources.WAIT)
                .untilAsserted(() -> assertThat(client.pods()
                                .inNamespace(namespace)
                                .withLabel(CatalogNames.CATALOG_LABEL, "q")
                                .withLabel("app.kubernetes.io/component", "catalog")
                                .list()
                                .getItems())
                        .as("catalog pods (ReplicaSet: %s)", replicaSetFailures(namespace, "q"))
                        .isNotEmpty());

        quotaNs.annotate(IcebergCatalog.class, "q", CatalogNames.ROTATE_NOW, "quota-1");
        Job job = await().atMost(Resources.WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(namespace)
                                .withLabel(CatalogNames.CATALOG_LABEL, "q")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);
        await().atMost(Resources.WAIT)
                .untilAsserted(() -> assertThat(client.pods()
                                .inNamespace(namespace)
                                .withLabel("job-name", job.getMetadata().getName())
                                .list()
                                .getItems())
                        .as("rotation Job pods (events: %s)", failedCreates(namespace))
                        .isNotEmpty());
        // Both count against the quota.
        await().atMost(Resources.WAIT)
                .untilAsserted(() -> assertThat(client.resourceQuotas()
                                .inNamespace(namespace)
                                .withName("compute")
                                .get()
                                .getStatus()
                                .getUsed()
                                .get("limits.memory")
                                .getNumericalAmount())
                        .isPositive());
    }

    static String replicaSetFailures(String namespace, String catalog) {
        return client
                .apps()
                .replicaSets()
                .inNamespace(namespace)
                .withLabel(CatalogNames.CATALOG_LABEL, catalog)
                .list()
                .getItems()
                .stream()
                .flatMap(rs -> rs.getStatus() == null || rs.getStatus().getConditions() == null
                        ? java.util.stream.Stream.empty()
                        : rs.getStatus().getConditions().stream())
                .map(c -> c.getType() + ": " + c.getMessage())
                .toList()
                .toString();
    }

    static String failedCreates(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "FailedCreate".equals(e.getReason()))
                .map(e -> e.getMessage())
                .distinct()
                .toList()
                .toString();
    }

    @Test
    void growingTheEmbeddedSizeExpandsTheBoundClaim() {
        // An expandable StorageClass and a static PersistentVolume the controller-manager binds the claim to.
        client.storage()
                .v1()
                .storageClasses()
                .resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                        .withNewMetadata()
                        .withName("floe-expandable")
                        .endMetadata()
                        .withProvisioner("kubernetes.io/no-provisioner")
                        .withAllowVolumeExpansion(true)
                        .withVolumeBindingMode("Immediate")
                        .build())
                .create();
        client.persistentVolumes()
                .resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                        .withNewMetadata()
                        .withName("resize-pv")
                        .endMetadata()
                        .withNewSpec()
                        .withStorageClassName("floe-expandable")
                        .withAccessModes("ReadWriteOnce")
                        .withCapacity(java.util.Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                        .withNewHostPath()
                        .withPath("/tmp/floe-resize-pv")
                        .endHostPath()
                        .endSpec()
                        .build())
                .create();
        ns.localKms("resize-kms", null);
        String catalog = Fixtures.catalog(
                "resize", "resize-kms", 1, "embedded:\n  size: 1Gi\n  storageClassName: floe-expandable", "");
        ns.apply(catalog);
        await().atMost(Resources.WAIT).until(() -> {
            var pvc = ns.get(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, "resize-data");
            return pvc != null
                    && pvc.getStatus() != null
                    && "Bound".equals(pvc.getStatus().getPhase());
        });
        ns.awaitCondition("resize", "StorageReady", "True", "VolumeBound");

        ns.apply(catalog.replace("size: 1Gi", "size: 2Gi"));
        await().atMost(Resources.WAIT)
                .untilAsserted(() -> assertThat(
                                ns.get(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, "resize-data")
                                        .getSpec()
                                        .getResources()
                                        .getRequests()
                                        .get("storage")
                                        .toString())
                        .isEqualTo("2Gi"));
        // Nothing here expands a hostPath volume: the condition says the claim is growing.
        ns.awaitCondition("resize", "StorageReady", "True", "VolumeResizing");
        assertThat(ns.condition("resize", "StorageReady").getMessage()).contains("from 1Gi to 2Gi");
    }

    @Test
    void embeddedVolumeIsKeptWhenItsCatalogIsDeletedAndReattachedWhenTheCatalogComesBack() {
        ns.localKms("keep-kms", null);
        ns.apply(Fixtures.embeddedCatalog("keepdata", "keep-kms"));
        ns.await(Deployment.class, "keepdata");
        PersistentVolumeClaim claim = ns.await(PersistentVolumeClaim.class, "keepdata-data");
        assertThat(claim.getMetadata().getOwnerReferences())
                .as("owners of a kept claim")
                .noneSatisfy(o -> assertThat(o.getKind()).isEqualTo("IcebergCatalog"));
        assertThat(claim.getMetadata().getLabels()).containsEntry(CatalogNames.RETAINED_LABEL, "true");
        assertThat(claim.getMetadata().getAnnotations())
                .containsEntry("argocd.argoproj.io/sync-options", "Prune=false");

        // The garbage collector removes what the catalog owned, and leaves the claim.
        client.resources(IcebergCatalog.class)
                .inNamespace("default")
                .withName("keepdata")
                .delete();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(ns.get(Deployment.class, "keepdata")).isNull();
            assertThat(ns.get(ConfigMap.class, "keepdata-config")).isNull();
        });
        PersistentVolumeClaim kept = ns.get(PersistentVolumeClaim.class, "keepdata-data");
        assertThat(kept).as("the claim after its catalog was deleted").isNotNull();
        assertThat(kept.getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();

        // A catalog of the same name adopts it: same claim, mounted by the new Deployment, seen in the status.
        ns.apply(Fixtures.embeddedCatalog("keepdata", "keep-kms"));
        Deployment again = ns.await(Deployment.class, "keepdata");
        assertThat(again.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(
                                v.getPersistentVolumeClaim() == null
                                        ? null
                                        : v.getPersistentVolumeClaim().getClaimName())
                        .isEqualTo("keepdata-data"));
        ns.awaitCondition("keepdata", "StorageReady", "False", "VolumeClaimPending");
        PersistentVolumeClaim adopted = ns.get(PersistentVolumeClaim.class, "keepdata-data");
        assertThat(adopted.getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(adopted.getMetadata().getOwnerReferences())
                .noneSatisfy(o -> assertThat(o.getKind()).isEqualTo("IcebergCatalog"));
        client.resources(IcebergCatalog.class)
                .inNamespace("default")
                .withName("keepdata")
                .delete();
    }

    @Test
    void embeddedVolumeWithDeleteClaimIsOwnedAndCollectedWithItsCatalog() {
        ns.localKms("drop-kms", null);
        ns.apply(Fixtures.catalog("dropdata", "drop-kms", 1, "embedded:\n  size: 1Gi\n  deleteClaim: true", ""));
        ns.await(Deployment.class, "dropdata");
        IcebergCatalog catalog = ns.get(IcebergCatalog.class, "dropdata");
        PersistentVolumeClaim claim = await().atMost(Resources.WAIT)
                .until(() -> ns.get(PersistentVolumeClaim.class, "dropdata-data"), c -> c != null);
        assertThat(claim.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("IcebergCatalog");
            assertThat(o.getUid()).isEqualTo(catalog.getMetadata().getUid());
        });
        assertThat(claim.getMetadata().getLabels()).doesNotContainKey(CatalogNames.RETAINED_LABEL);

        // Changing the field moves the existing claim between kept and owned.
        ns.apply(Fixtures.catalog("dropdata", "drop-kms", 1, "embedded:\n  size: 1Gi\n  deleteClaim: false", ""));
        await().atMost(Resources.WAIT).untilAsserted(() -> {
            PersistentVolumeClaim c = ns.get(PersistentVolumeClaim.class, "dropdata-data");
            assertThat(c.getMetadata().getOwnerReferences()).isEmpty();
            assertThat(c.getMetadata().getLabels()).containsEntry(CatalogNames.RETAINED_LABEL, "true");
        });
        ns.apply(Fixtures.catalog("dropdata", "drop-kms", 1, "embedded:\n  size: 1Gi\n  deleteClaim: true", ""));
        await().atMost(Resources.WAIT).untilAsserted(() -> {
            PersistentVolumeClaim c = ns.get(PersistentVolumeClaim.class, "dropdata-data");
            assertThat(c.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid())
                            .isEqualTo(catalog.getMetadata().getUid()));
            assertThat(c.getMetadata().getLabels()).doesNotContainKey(CatalogNames.RETAINED_LABEL);
            assertThat(c.getMetadata().getUid()).isEqualTo(claim.getMetadata().getUid());
        });

        client.resources(IcebergCatalog.class)
                .inNamespace("default")
                .withName("dropdata")
                .delete();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            PersistentVolumeClaim c = ns.get(PersistentVolumeClaim.class, "dropdata-data");
            assertThat(c == null || c.getMetadata().getDeletionTimestamp() != null)
                    .as("claim deleted or being deleted")
                    .isTrue();
        });
    }
}
