package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorCaches;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The IcebergCatalog reconciler on a real kube-apiserver + etcd (no kube-controller-manager, no
 * kubelet): every dependent with the right content, propagation, self-healing, the create-once
 * admin key, quiet convergence, and status conditions. One API server and one operator per class.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IcebergCatalogReconcileIT {
    static final String NS = "default";
    static final Duration WAIT = Duration.ofSeconds(60);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static RequestCounter operatorRequests = new RequestCounter();
    static OperatorRunner operator;

    @BeforeAll
    static void startOperator() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, operatorRequests));
        operator = OperatorRunner.start(operatorClient.client());
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

    static void secret(String name, Map<String, String> data) {
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .serverSideApply();
    }

    static void localKms(String name, String schedule) {
        secret(name + "-credentials", Map.of("master-key", Base64.getEncoder().encodeToString(new byte[32])));
        apply(Fixtures.localBinding(name, schedule));
    }

    static <T extends HasMetadata> T awaitResource(Class<T> type, String name) {
        return await().atMost(WAIT)
                .until(
                        () -> client.resources(type)
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        r -> r != null);
    }

    static IcebergCatalog catalog(String name) {
        return client.resources(IcebergCatalog.class)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    static Condition condition(String catalog, String type) {
        IcebergCatalog c = catalog(catalog);
        if (c == null || c.getStatus() == null || c.getStatus().conditions() == null) {
            return null;
        }
        return c.getStatus().conditions().stream()
                .filter(x -> type.equals(x.getType()))
                .findFirst()
                .orElse(null);
    }

    static void awaitCondition(String catalog, String type, String status, String reason) {
        await().atMost(WAIT).untilAsserted(() -> {
            Condition c = condition(catalog, type);
            assertThat(c).as(type).isNotNull();
            assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo(status + "/" + reason);
        });
    }

    static void assertOwnedBy(HasMetadata child, String catalog) {
        assertThat(child.getMetadata().getOwnerReferences())
                .as(child.getKind() + " owner")
                .anySatisfy(o -> {
                    assertThat(o.getKind()).isEqualTo("IcebergCatalog");
                    assertThat(o.getName()).isEqualTo(catalog);
                });
    }

    @Test
    @Order(1)
    void writesNothingInAnIdleWindowAfterConvergence() {
        localKms("idle-kms", "0 3 * * 0");
        apply(Fixtures.embeddedCatalog("idle", "idle-kms"));
        awaitResource(CronJob.class, "idle-rotate-keys");
        awaitCondition("idle", "KmsReady", "True", "KmsBindingReady");
        awaitConvergedWithoutWrites(operatorRequests::writes); // then the idle window starts
        operatorRequests.reset();
        await().during(Duration.ofSeconds(30))
                .atMost(Duration.ofSeconds(32))
                .until(() -> operatorRequests.writes().isEmpty());
        assertThat(operatorRequests.writes()).isEmpty();

        // A reconcile of a converged catalog (triggered by an unrelated annotation) writes nothing either.
        new dev.floe.operator.testing.Resources(client, NS)
                .annotate(IcebergCatalog.class, "idle", "example.com/touched", "1");
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .until(() -> operatorRequests.writes().isEmpty());
    }

    @Test
    @Order(2)
    void createsEveryDependentWithTheRightContent() {
        localKms("dev-kms", "0 3 * * 0");
        apply(Fixtures.catalog(
                "dev",
                "dev-kms",
                1,
                "embedded:\n  size: 2Gi",
                "networkPolicy:\n  enabled: true\n  allowedNamespaces: [\"spark\"]\n"
                        + "podTemplate:\n  env:\n    - name: FLOE_JAVA_OPTS\n      value: -XX:TieredStopAtLevel=1"));

        ServiceAccount sa = awaitResource(ServiceAccount.class, "dev-catalog");
        assertOwnedBy(sa, "dev");

        ConfigMap config = awaitResource(ConfigMap.class, "dev-config");
        assertOwnedBy(config, "dev");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.configMaps()
                                .inNamespace(NS)
                                .withName("dev-config")
                                .get()
                                .getData()
                                .get("floe.toml"))
                        .contains(
                                "[kms]\nprovider = \"local\"\nkey_file = \"/etc/floe/kms/master-key\"\nkey_id = \"test-1\"")
                        .contains("url = \"file:///var/lib/floe\"")
                        .contains("port = 8443"));

        Secret admin = awaitResource(Secret.class, "dev-admin-key");
        assertOwnedBy(admin, "dev");
        assertThat(new String(Base64.getDecoder().decode(admin.getData().get("admin-key")), StandardCharsets.UTF_8))
                .matches(AdminKeys.FORMAT);

        Secret tls = awaitResource(Secret.class, "dev-selfsigned-tls");
        assertThat(tls.getData()).containsKeys("ca.crt", "tls.crt", "tls.key");

        Service service = awaitResource(Service.class, "dev");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8443);
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/instance", "dev");

        PersistentVolumeClaim pvc = awaitResource(PersistentVolumeClaim.class, "dev-data");
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("2Gi");

        Deployment deployment = awaitResource(Deployment.class, "dev");
        assertOwnedBy(deployment, "dev");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveness");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
        assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
        assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(300);
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("FLOE_BOOTSTRAP_ADMIN_KEY_FILE");
            assertThat(e.getValue()).isEqualTo("/etc/floe/admin/admin-key");
        });
        // The master key is a mounted file (key_file above), not an environment variable.
        assertThat(container.getEnv())
                .noneSatisfy(e -> assertThat(e.getValueFrom()).isNotNull());
        // spec.podTemplate.env comes after the operator's own variables.
        assertThat(container.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(
                        tuple("FLOE_BOOTSTRAP_ADMIN_KEY_FILE", "/etc/floe/admin/admin-key"),
                        tuple("FLOE_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
        assertThat(container.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/floe/kms");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(pod.getVolumes())
                .anySatisfy(v -> assertThat(
                                v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo("dev-kms-credentials"));
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).contains("config", "tls", "admin-key", "data");
        assertThat(pod.getVolumes())
                .anySatisfy(v -> assertThat(
                                v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo("dev-selfsigned-tls"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKeys(CatalogNames.SECRETS_HASH, CatalogNames.CONFIG_HASH);

        NetworkPolicy policy = awaitResource(NetworkPolicy.class, "dev");
        assertThat(policy.getSpec().getIngress().get(0).getFrom())
                .anySatisfy(p -> assertThat(
                                p.getNamespaceSelector() == null
                                        ? null
                                        : p.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "spark")));

        CronJob cron = awaitResource(CronJob.class, "dev-rotate-keys");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * 0");
        assertThat(cron.getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs())
                .containsExactly(
                        "admin",
                        "rotate-keys",
                        "--endpoint",
                        "https://dev:8443",
                        "--api-key-file",
                        "/etc/floe/admin/admin-key",
                        "--ca",
                        "/etc/floe/tls/ca.crt");

        assertThat(client.resources(PodDisruptionBudget.class)
                        .inNamespace(NS)
                        .withName("dev")
                        .get())
                .isNull();

        awaitCondition("dev", "TLSReady", "True", "SelfSignedIssued");
        awaitCondition("dev", "KmsReady", "True", "KmsBindingReady");
        awaitCondition("dev", "StorageReady", "False", "VolumeClaimPending");
        awaitCondition("dev", "Ready", "False", "VolumeClaimPending");
        var status = catalog("dev").getStatus();
        assertThat(status.observedGeneration())
                .isEqualTo(catalog("dev").getMetadata().getGeneration());
        assertThat(status.endpoint()).isEqualTo("https://dev.default.svc:8443");
        assertThat(status.adminKeySecret()).isEqualTo("dev-admin-key");
        assertThat(status.encryption().keyId()).isEqualTo("local:test-1");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.resources(KmsBinding.class)
                                .inNamespace(NS)
                                .withName("dev-kms")
                                .get()
                                .getStatus()
                                .boundCatalogs())
                        .containsExactly("dev"));
        assertThat(client.resources(KmsBinding.class)
                        .inNamespace(NS)
                        .withName("dev-kms")
                        .get()
                        .getStatus()
                        .nextRotationTime())
                .isNotNull();
    }

    @Test
    @Order(3)
    void postgresCatalogGetsReplicasPdbAndRollingUpdates() {
        localKms("pg-kms", null);
        apply(Fixtures.postgresCatalog("pg", "pg-kms", 3, ""));
        Deployment deployment = awaitResource(Deployment.class, "pg");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        // A terminating replica keeps serving while its endpoint goes, then drains its connections.
        Container catalog =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(catalog.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
        assertThat(catalog.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .contains(tuple("FLOE_SERVER_SHUTDOWN_DRAIN_SECONDS", "2"));
        assertThat(awaitResource(PodDisruptionBudget.class, "pg")
                        .getSpec()
                        .getMaxUnavailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(client.resources(PersistentVolumeClaim.class)
                        .inNamespace(NS)
                        .withName("pg-data")
                        .get())
                .isNull();
        assertThat(client.resources(CronJob.class)
                        .inNamespace(NS)
                        .withName("pg-rotate-keys")
                        .get())
                .isNull();

        awaitCondition("pg", "StorageReady", "False", "PostgresCredentialsMissing");
        secret("pg-db", Map.of("username", "floe", "password", "pw"));
        awaitCondition("pg", "StorageReady", "True", "PostgresConfigured");

        // Scaling down to one replica removes the PodDisruptionBudget.
        apply(Fixtures.postgresCatalog("pg", "pg-kms", 1, ""));
        await().atMost(WAIT)
                .until(() -> client.resources(PodDisruptionBudget.class)
                                .inNamespace(NS)
                                .withName("pg")
                                .get()
                        == null);
    }

    @Test
    @Order(4)
    void specAndBindingChangesPropagate() {
        localKms("prop-kms", "0 3 * * 0");
        apply(Fixtures.postgresCatalog("prop", "prop-kms", 1, ""));
        Deployment before = awaitResource(Deployment.class, "prop");
        String secretsHash =
                before.getSpec().getTemplate().getMetadata().getAnnotations().get(CatalogNames.SECRETS_HASH);

        apply(Fixtures.postgresCatalog("prop", "prop-kms", 2, "image: registry.example/floe:2"));
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d =
                    client.apps().deployments().inNamespace(NS).withName("prop").get();
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("registry.example/floe:2");
        });

        // A KmsBinding change reaches the catalog's CronJob and TOML through the secondary-resource mapping.
        apply(Fixtures.localBinding("prop-kms", "15 4 * * *"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.batch()
                                .v1()
                                .cronjobs()
                                .inNamespace(NS)
                                .withName("prop-rotate-keys")
                                .get()
                                .getSpec()
                                .getSchedule())
                        .isEqualTo("15 4 * * *"));

        // A rotated credential in the binding's Secret changes the pod-template hash (rolls the pods).
        secret("prop-kms-credentials", Map.of("master-key", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("prop")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getAnnotations()
                                .get(CatalogNames.SECRETS_HASH))
                        .isNotEqualTo(secretsHash));
    }

    @Test
    @Order(5)
    void deletedDependentsComeBack() {
        localKms("heal-kms", null);
        apply(Fixtures.embeddedCatalog("heal", "heal-kms"));
        String serviceUid = awaitResource(Service.class, "heal").getMetadata().getUid();
        awaitResource(ConfigMap.class, "heal-config");
        awaitResource(Deployment.class, "heal");

        client.services().inNamespace(NS).withName("heal").delete();
        client.configMaps().inNamespace(NS).withName("heal-config").delete();
        client.apps().deployments().inNamespace(NS).withName("heal").delete();

        await().atMost(WAIT).untilAsserted(() -> {
            Service s = client.services().inNamespace(NS).withName("heal").get();
            assertThat(s).isNotNull();
            assertThat(s.getMetadata().getUid()).isNotEqualTo(serviceUid);
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("heal-config")
                            .get())
                    .isNotNull();
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("heal")
                            .get())
                    .isNotNull();
        });
    }

    @Test
    @Order(6)
    void adminKeySurvivesReconcilesAndOperatorRestarts() {
        localKms("keep-kms", null);
        apply(Fixtures.embeddedCatalog("keep", "keep-kms"));
        Secret original = awaitResource(Secret.class, "keep-admin-key");
        Secret originalTls = awaitResource(Secret.class, "keep-selfsigned-tls");
        awaitResource(Deployment.class, "keep");

        apply(Fixtures.catalog("keep", "keep-kms", 1, "embedded:\n  size: 1Gi", "image: registry.example/floe:3"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("keep")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo("registry.example/floe:3"));

        operator.close();
        operator = OperatorRunner.start(operatorClient.client());
        apply(Fixtures.catalog("keep", "keep-kms", 1, "embedded:\n  size: 1Gi", "image: registry.example/floe:4"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("keep")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo("registry.example/floe:4"));

        Secret after =
                client.secrets().inNamespace(NS).withName("keep-admin-key").get();
        assertThat(after.getMetadata().getUid())
                .isEqualTo(original.getMetadata().getUid());
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(original.getMetadata().getResourceVersion());
        assertThat(after.getData()).isEqualTo(original.getData());
        assertThat(client.secrets()
                        .inNamespace(NS)
                        .withName("keep-selfsigned-tls")
                        .get()
                        .getData())
                .isEqualTo(originalTls.getData());
    }

    @Test
    @Order(7)
    void reportsMissingKmsBindingAndRecoversWhenItAppears() {
        apply(Fixtures.embeddedCatalog("orphan", "later-kms"));
        awaitCondition("orphan", "KmsReady", "False", "KmsBindingNotFound");
        assertThat(condition("orphan", "KmsReady").getMessage())
                .contains("Create KmsBinding later-kms in namespace default");
        awaitCondition("orphan", "Ready", "False", "DeploymentPending");
        // Without a binding there is no [kms] section to render: nothing starts (the TLS Secret,
        // Service and volume, which do not depend on it, are made meanwhile).
        awaitResource(Secret.class, "orphan-selfsigned-tls");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("orphan")
                            .get())
                    .isNull();
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("orphan-config")
                            .get())
                    .isNull();
        });
        apply(Fixtures.localBinding("later-kms", null));
        awaitResource(Deployment.class, "orphan");
        awaitCondition("orphan", "KmsReady", "False", "KmsCredentialsMissing");
        assertThat(condition("orphan", "KmsReady").getMessage()).contains("later-kms-credentials", "master-key");
        secret("later-kms-credentials", Map.of("master-key", Base64.getEncoder().encodeToString(new byte[32])));
        awaitCondition("orphan", "KmsReady", "True", "KmsBindingReady");
        await().atMost(WAIT)
                .until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                        .anyMatch(e -> "orphan".equals(e.getInvolvedObject().getName())
                                && "KmsBindingNotFound".equals(e.getReason())));
    }

    @Test
    @Order(8)
    void issuerRefWithoutCertManagerSaysSoAndWaits() {
        localKms("cm-kms", null);
        apply(Fixtures.postgresCatalog("nocm", "cm-kms", 1, "tls:\n  issuerRef:\n    name: ca-issuer"));
        awaitCondition("nocm", "TLSReady", "False", "CertManagerNotInstalled");
        assertThat(condition("nocm", "TLSReady").getMessage()).contains("install cert-manager");
        awaitCondition("nocm", "Ready", "False", "DeploymentPending");
        assertThat(client.apps().deployments().inNamespace(NS).withName("nocm").get())
                .isNull();
    }

    @Test
    @Order(9)
    void rotateNowJobCompletedByTestStandInIsReportedInBothStatuses() {
        localKms("rot-kms", null);
        apply(Fixtures.embeddedCatalog("rot", "rot-kms"));
        awaitResource(Deployment.class, "rot");
        new dev.floe.operator.testing.Resources(client, NS)
                .annotate(IcebergCatalog.class, "rot", CatalogNames.ROTATE_NOW, "2026-11-30T06.00");
        Job job = await().atMost(WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NS)
                                .withLabel(CatalogNames.CATALOG_LABEL, "rot")
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .startsWith("admin", "rotate-keys");
        assertOwnedBy(job, "rot");

        // Stand-in for kubelet + job controller (neither runs here): mark the Job complete.
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<JobCondition> done = List.of(
                new JobConditionBuilder()
                        .withType("SuccessCriteriaMet")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .build(),
                new JobConditionBuilder()
                        .withType("Complete")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .build());
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withStartTime(now)
                .withCompletionTime(now)
                .withSucceeded(1)
                .withConditions(done)
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();

        await().atMost(WAIT).untilAsserted(() -> {
            var enc = catalog("rot").getStatus().encryption();
            assertThat(enc.lastRotationResult()).isEqualTo("Succeeded");
            assertThat(enc.lastRotationJob()).isEqualTo(job.getMetadata().getName());
            assertThat(client.resources(KmsBinding.class)
                            .inNamespace(NS)
                            .withName("rot-kms")
                            .get()
                            .getStatus()
                            .lastRotationTime())
                    .isEqualTo(now);
        });
        // The same request is not run twice.
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withLabel(CatalogNames.CATALOG_LABEL, "rot")
                        .list()
                        .getItems())
                .hasSize(1);
        await().atMost(WAIT)
                .until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                        .anyMatch(e -> "rot".equals(e.getInvolvedObject().getName())
                                && "RotationSucceeded".equals(e.getReason())));
    }

    @Test
    @Order(10)
    void selfSignedServerCertificateIsRenewedUnderTheSameCaWithoutRollingThePods() throws Exception {
        localKms("renew-kms", null);
        // A 30 s lifetime: renewal is due 20 s after issue. Nothing else touches the catalog meanwhile.
        apply(Fixtures.embeddedCatalog("renew", "renew-kms")
                .replace("spec:\n", "spec:\n  tls:\n    selfSigned: true\n    duration: 30s\n"));
        Secret first = awaitResource(Secret.class, "renew-selfsigned-tls");
        String firstHash = await().atMost(WAIT)
                .until(
                        () -> {
                            Deployment d = client.apps()
                                    .deployments()
                                    .inNamespace(NS)
                                    .withName("renew")
                                    .get();
                            return d == null
                                    ? null
                                    : d.getSpec()
                                            .getTemplate()
                                            .getMetadata()
                                            .getAnnotations()
                                            .get(CatalogNames.SECRETS_HASH);
                        },
                        h -> h != null);
        // The pods get the certificate, key and CA, never the CA key.
        Deployment deployment =
                client.apps().deployments().inNamespace(NS).withName("renew").get();
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> "tls".equals(v.getName()))
                .singleElement()
                .satisfies(v -> assertThat(v.getSecret().getItems())
                        .extracting(i -> i.getKey())
                        .containsExactlyInAnyOrder("ca.crt", "tls.crt", "tls.key"));

        Secret renewed = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> client.secrets()
                                .inNamespace(NS)
                                .withName("renew-selfsigned-tls")
                                .get(),
                        s -> !s.getData().get("tls.crt").equals(first.getData().get("tls.crt")));
        assertThat(renewed.getData().get("ca.crt"))
                .as("the CA is kept")
                .isEqualTo(first.getData().get("ca.crt"));
        assertThat(renewed.getData().get("tls.key"))
                .isNotEqualTo(first.getData().get("tls.key"));
        var factory = java.security.cert.CertificateFactory.getInstance("X.509");
        var ca = (java.security.cert.X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(renewed.getData().get("ca.crt"))));
        var leaf = (java.security.cert.X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(
                Base64.getDecoder().decode(renewed.getData().get("tls.crt"))));
        leaf.verify(ca.getPublicKey());
        // The catalog reloads the renewed files from its mounted Secret by itself (TlsIT in the
        // catalog module): the pod template stays as it was, so the pods do not restart.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("renew")
                                .get()
                                .getSpec()
                                .getTemplate())
                        .as("the pod template after renewal")
                        .isEqualTo(deployment.getSpec().getTemplate()));
        assertThat(firstHash).isNotNull();
    }

    @Test
    @Order(20)
    void tlsSecretChangesLeaveThePodTemplateAloneWhileSecretsReadAtStartRollIt() {
        localKms("tlsroll-kms", null);
        Map<String, String> tls = Map.of("tls.crt", "certificate-1", "tls.key", "key-1", "ca.crt", "ca-1");
        secret("tlsroll-tls", tls);
        secret("tlsroll-db", Map.of("username", "floe", "password", "pw-1"));
        apply(Fixtures.postgresCatalog("tlsroll", "tlsroll-kms", 1, "tls:\n  secretName: tlsroll-tls"));
        Deployment before = await().atMost(WAIT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("tlsroll")
                                .get(),
                        d -> d != null
                                && d.getSpec()
                                        .getTemplate()
                                        .getMetadata()
                                        .getAnnotations()
                                        .containsKey(CatalogNames.SECRETS_HASH));
        awaitCondition("tlsroll", "StorageReady", "True", "PostgresConfigured");

        // A renewal (cert-manager or the user rewriting their Secret): new certificate and key, same names.
        secret("tlsroll-tls", Map.of("tls.crt", "certificate-2", "tls.key", "key-2", "ca.crt", "ca-1"));
        await().during(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("tlsroll")
                                .get()
                                .getSpec()
                                .getTemplate())
                        .as("the pod template after the TLS Secret changed")
                        .isEqualTo(before.getSpec().getTemplate()));

        // The PostgreSQL password is read from the environment at start only: a change must roll the pods.
        secret("tlsroll-db", Map.of("username", "floe", "password", "pw-2"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("tlsroll")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getAnnotations()
                                .get(CatalogNames.SECRETS_HASH))
                        .isNotEqualTo(before.getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getAnnotations()
                                .get(CatalogNames.SECRETS_HASH)));
    }

    @Test
    @Order(11)
    void embeddedCatalogScaledToZeroStopsItsPodAndKeepsItsVolume() {
        localKms("zero-kms", null);
        apply(Fixtures.embeddedCatalog("zero", "zero-kms"));
        awaitResource(Deployment.class, "zero");
        String claimUid = awaitResource(PersistentVolumeClaim.class, "zero-data")
                .getMetadata()
                .getUid();

        apply(Fixtures.catalog("zero", "zero-kms", 0, "embedded:\n  size: 1Gi", ""));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("zero")
                                .get()
                                .getSpec()
                                .getReplicas())
                        .isZero());
        awaitCondition("zero", "Ready", "False", "ScaledToZero");
        assertThat(condition("zero", "Ready").getMessage()).contains("spec.replicas is 0");
        assertThat(client.persistentVolumeClaims()
                        .inNamespace(NS)
                        .withName("zero-data")
                        .get()
                        .getMetadata()
                        .getUid())
                .as("the database volume is kept")
                .isEqualTo(claimUid);

        apply(Fixtures.embeddedCatalog("zero", "zero-kms"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("zero")
                                .get()
                                .getSpec()
                                .getReplicas())
                        .isEqualTo(1));
    }

    @Test
    @Order(12)
    void deletedKmsBindingLeavesTheRunningConfigurationAloneUntilItIsBack() {
        localKms("gone-kms", "0 3 * * 0");
        apply(Fixtures.embeddedCatalog("gone", "gone-kms"));
        awaitCondition("gone", "KmsReady", "True", "KmsBindingReady");
        awaitResource(CronJob.class, "gone-rotate-keys");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("gone-config")
                            .get()
                            .getData()
                            .get("floe.toml"))
                    .contains("[kms]");
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("gone")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getVolumes())
                    .anySatisfy(v -> assertThat(v.getName()).isEqualTo("kms"));
        });
        String toml = client.configMaps()
                .inNamespace(NS)
                .withName("gone-config")
                .get()
                .getData()
                .get("floe.toml");
        var template = client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("gone")
                .get()
                .getSpec()
                .getTemplate();

        client.resources(KmsBinding.class).inNamespace(NS).withName("gone-kms").delete();
        awaitCondition("gone", "KmsReady", "False", "KmsBindingNotFound");
        assertThat(condition("gone", "KmsReady").getMessage()).contains("Create KmsBinding gone-kms", "keeps");
        awaitCondition("gone", "Ready", "False", "KmsBindingNotFound");
        await().atMost(WAIT)
                .until(() ->
                        new dev.floe.operator.testing.Resources(client, NS).hasEvent("gone", "KmsBindingNotFound"));
        // A spec change meanwhile waits too: rendering it now would drop the [kms] section.
        apply(Fixtures.catalog("gone", "gone-kms", 1, "embedded:\n  size: 1Gi", "image: registry.example/floe:9"));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("gone-config")
                            .get()
                            .getData()
                            .get("floe.toml"))
                    .isEqualTo(toml);
            assertThat(client.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("gone")
                            .get()
                            .getSpec()
                            .getTemplate())
                    .isEqualTo(template);
            assertThat(client.batch()
                            .v1()
                            .cronjobs()
                            .inNamespace(NS)
                            .withName("gone-rotate-keys")
                            .get())
                    .isNotNull();
        });

        apply(Fixtures.localBinding("gone-kms", "0 3 * * 0"));
        awaitCondition("gone", "KmsReady", "True", "KmsBindingReady");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("gone")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo("registry.example/floe:9"));
        assertThat(client.configMaps()
                        .inNamespace(NS)
                        .withName("gone-config")
                        .get()
                        .getData()
                        .get("floe.toml"))
                .isEqualTo(toml);
    }

    static final String PAUSE = "floe.dev/pause-reconciliation";

    static void unpause(Class<? extends HasMetadata> type, String name) {
        client.resources(type)
                .inNamespace(NS)
                .withName(name)
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + PAUSE + "\":null}}}");
    }

    @Test
    @Order(13)
    void pausedCatalogIsLeftAloneUntilTheAnnotationIsRemoved() {
        var ns = new dev.floe.operator.testing.Resources(client, NS);
        localKms("pause-kms", null);
        apply(Fixtures.postgresCatalog("paused", "pause-kms", 1, ""));
        awaitResource(Deployment.class, "paused");
        awaitCondition("paused", "Ready", "False", "PostgresCredentialsMissing");
        long generation = catalog("paused").getStatus().observedGeneration();

        ns.annotate(IcebergCatalog.class, "paused", PAUSE, "true");
        awaitCondition("paused", "ReconciliationPaused", "True", "ReconciliationPaused");
        assertThat(condition("paused", "ReconciliationPaused").getMessage()).contains(PAUSE);
        await().atMost(WAIT).until(() -> ns.hasEvent("paused", "ReconciliationPaused"));

        // A spec change, a deleted dependent and a rotation request: the operator does none of it.
        apply(Fixtures.postgresCatalog("paused", "pause-kms", 2, "image: registry.example/floe:paused"));
        client.services().inNamespace(NS).withName("paused").delete();
        ns.annotate(IcebergCatalog.class, "paused", CatalogNames.ROTATE_NOW, "while-paused");
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("paused")
                    .get();
            assertThat(d.getSpec().getReplicas()).isEqualTo(1);
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isNotEqualTo("registry.example/floe:paused");
            assertThat(client.services().inNamespace(NS).withName("paused").get())
                    .isNull();
            assertThat(client.resources(PodDisruptionBudget.class)
                            .inNamespace(NS)
                            .withName("paused")
                            .get())
                    .isNull();
            assertThat(client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(NS)
                            .withLabel(CatalogNames.CATALOG_LABEL, "paused")
                            .list()
                            .getItems())
                    .isEmpty();
        });
        assertThat(catalog("paused").getStatus().observedGeneration())
                .as("the new generation is not observed")
                .isEqualTo(generation);
        assertThat(condition("paused", "Ready").getReason())
                .as("the other conditions stay as they were")
                .isEqualTo("PostgresCredentialsMissing");

        unpause(IcebergCatalog.class, "paused");
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("paused")
                    .get();
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("registry.example/floe:paused");
            assertThat(client.services().inNamespace(NS).withName("paused").get())
                    .isNotNull();
            assertThat(client.resources(PodDisruptionBudget.class)
                            .inNamespace(NS)
                            .withName("paused")
                            .get())
                    .isNotNull();
            assertThat(client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(NS)
                            .withLabel(CatalogNames.CATALOG_LABEL, "paused")
                            .list()
                            .getItems())
                    .hasSize(1);
            assertThat(condition("paused", "ReconciliationPaused")).isNull();
        });
        await().atMost(WAIT).until(() -> ns.hasEvent("paused", "ReconciliationResumed"));
    }

    @Test
    @Order(14)
    void changesToAPausedKmsBindingReachNoCatalogUntilItIsResumed() {
        var ns = new dev.floe.operator.testing.Resources(client, NS);
        localKms("pb-kms", "0 3 * * 0");
        apply(Fixtures.embeddedCatalog("pb", "pb-kms"));
        awaitResource(CronJob.class, "pb-rotate-keys");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.configMaps()
                                .inNamespace(NS)
                                .withName("pb-config")
                                .get()
                                .getData()
                                .get("floe.toml"))
                        .contains("key_id = \"test-1\""));
        awaitCondition("pb", "KmsReady", "True", "KmsBindingReady");

        ns.annotate(KmsBinding.class, "pb-kms", PAUSE, "true");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(client.resources(KmsBinding.class)
                                .inNamespace(NS)
                                .withName("pb-kms")
                                .get()
                                .getStatus()
                                .conditions())
                        .anySatisfy(c -> assertThat(c.getType() + "/" + c.getStatus() + "/" + c.getReason())
                                .isEqualTo("ReconciliationPaused/True/ReconciliationPaused")));
        awaitCondition("pb", "ReconciliationPaused", "True", "KmsBindingPaused");
        assertThat(condition("pb", "ReconciliationPaused").getMessage()).contains("KmsBinding pb-kms");
        await().atMost(WAIT).until(() -> ns.hasEvent("pb-kms", "ReconciliationPaused"));
        Long bindingGeneration = client.resources(KmsBinding.class)
                .inNamespace(NS)
                .withName("pb-kms")
                .get()
                .getStatus()
                .observedGeneration();

        apply(Fixtures.binding("pb-kms", "local:\n  keyId: test-2", "rotation:\n  schedule: \"15 4 * * *\""));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("pb-config")
                            .get()
                            .getData()
                            .get("floe.toml"))
                    .contains("key_id = \"test-1\"");
            assertThat(client.batch()
                            .v1()
                            .cronjobs()
                            .inNamespace(NS)
                            .withName("pb-rotate-keys")
                            .get()
                            .getSpec()
                            .getSchedule())
                    .isEqualTo("0 3 * * 0");
            assertThat(client.resources(KmsBinding.class)
                            .inNamespace(NS)
                            .withName("pb-kms")
                            .get()
                            .getStatus()
                            .observedGeneration())
                    .isEqualTo(bindingGeneration);
        });

        unpause(KmsBinding.class, "pb-kms");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("pb-config")
                            .get()
                            .getData()
                            .get("floe.toml"))
                    .contains("key_id = \"test-2\"");
            assertThat(client.batch()
                            .v1()
                            .cronjobs()
                            .inNamespace(NS)
                            .withName("pb-rotate-keys")
                            .get()
                            .getSpec()
                            .getSchedule())
                    .isEqualTo("15 4 * * *");
            assertThat(condition("pb", "ReconciliationPaused")).isNull();
            assertThat(client.resources(KmsBinding.class)
                            .inNamespace(NS)
                            .withName("pb-kms")
                            .get()
                            .getStatus()
                            .conditions())
                    .noneSatisfy(c -> assertThat(c.getType()).isEqualTo("ReconciliationPaused"));
        });
        await().atMost(WAIT).until(() -> ns.hasEvent("pb-kms", "ReconciliationResumed"));
    }

    @Test
    @Order(21)
    void operatorCachesOnlyTheSecretsItOwnsOrReferences() {
        // Secrets that belong to nobody the operator knows: in another namespace and beside the catalog.
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName("unrelated")
                        .endMetadata()
                        .build())
                .serverSideApply();
        List<String> unrelated = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String ns = i % 2 == 0 ? "unrelated" : NS;
            String name = "unrelated-" + i;
            client.secrets()
                    .inNamespace(ns)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withStringData(Map.of("token", "not-the-operators-" + i))
                            .build())
                    .create();
            unrelated.add(ns + "/" + name);
        }
        localKms("cache-kms", null);
        secret("cache-db", Map.of("username", "floe", "password", "pw"));
        secret("cache-s3", Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret"));
        apply(Fixtures.postgresCatalog("cache", "cache-kms", 1, "")
                .replace(
                        "    location: file:///var/lib/floe/warehouse",
                        "    location: s3://bucket/warehouse\n    credentialsSecret: cache-s3"));
        awaitCondition("cache", "StorageReady", "True", "PostgresConfigured");
        awaitResource(Deployment.class, "cache");
        awaitCondition("cache", "KmsReady", "True", "KmsBindingReady");

        await().atMost(WAIT).untilAsserted(() -> {
            var caches = OperatorCaches.secretsByEventSource(operator.operator());
            java.util.Set<String> cached = new java.util.TreeSet<>();
            caches.values().forEach(cached::addAll);
            // What it owns and what the catalog and its binding reference are there...
            assertThat(cached)
                    .contains(
                            NS + "/cache-admin-key",
                            NS + "/cache-selfsigned-tls",
                            NS + "/cache-db",
                            NS + "/cache-s3",
                            NS + "/cache-kms-credentials");
            // ...and nothing else, in no cache.
            caches.forEach((source, names) ->
                    assertThat(names).as("Secrets cached by " + source).doesNotContainAnyElementsOf(unrelated));
        });
    }

    @Test
    @Order(22)
    void cachesKeepManagedFieldsOnlyForWhatTheyApplyAndShareThem() {
        localKms("shared-kms", "0 3 * * 0");
        for (String name : List.of("shared-a", "shared-b")) {
            apply(Fixtures.embeddedCatalog(name, "shared-kms"));
        }
        for (String name : List.of("shared-a", "shared-b")) {
            awaitResource(CronJob.class, name + "-rotate-keys");
            awaitCondition(name, "KmsReady", "True", "KmsBindingReady");
        }

        await().atMost(WAIT).untilAsserted(() -> {
            // Read but never applied from a cache: kept without managedFields, in every cache.
            for (var type : List.of(IcebergCatalog.class, KmsBinding.class, Secret.class)) {
                OperatorCaches.informerCaches(operator.operator(), type).forEach((source, objects) -> {
                    assertThat(objects).as(source).isNotEmpty();
                    assertThat(objects)
                            .as(source)
                            .allSatisfy(o -> assertThat(o.getMetadata().getManagedFields())
                                    .isEmpty());
                });
            }
            // Matched with server-side apply: the operator's entry is there, its maps shared by both Deployments.
            var deployments = OperatorCaches.informerCaches(operator.operator(), Deployment.class).values().stream()
                    .flatMap(List::stream)
                    .filter(d -> d.getMetadata().getName().startsWith("shared-"))
                    .toList();
            assertThat(deployments).hasSize(2);
            var specs = deployments.stream()
                    .map(d -> d.getMetadata().getManagedFields().stream()
                            .filter(f -> "icebergcatalog".equals(f.getManager()) && "Apply".equals(f.getOperation()))
                            .findFirst()
                            .orElseThrow()
                            .getFieldsV1()
                            .getAdditionalProperties()
                            .get("f:spec"))
                    .toList();
            assertThat(specs.get(0)).isNotNull().isSameAs(specs.get(1));
        });

        // And the server-side apply matcher still finds both Deployments up to date: once converged
        // (a few seconds without writes), a reconcile of each catalog applies nothing again. Only their
        // own objects count: catalogs of earlier tests in the namespace may still be writing.
        List<String> shared = List.of("shared-a", "shared-b");
        awaitConvergedWithoutWrites(() -> writesConcerning(shared));
        operatorRequests.reset();
        for (String name : shared) {
            new dev.floe.operator.testing.Resources(client, NS)
                    .annotate(IcebergCatalog.class, name, "example.com/touched", "1");
        }
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(7))
                .untilAsserted(() -> assertThat(writesConcerning(shared)).isEmpty());
    }

    static String backupBlock(String claim, String extra) {
        return "backup:\n  schedule: \"30 2 * * *\"\n  keep: 3\n  target:\n    volume:\n      claimName: " + claim
                + extra;
    }

    @Test
    @Order(30)
    void backupOfAnEmbeddedCatalogIsACronJobBesideTheCatalogPodThatGoesWithSpecBackup() {
        localKms("bk-kms", null);
        apply(Fixtures.catalog("bk", "bk-kms", 1, "embedded:\n  size: 1Gi", backupBlock("backups", "")));
        CronJob cron = awaitResource(CronJob.class, "bk-backup");
        assertOwnedBy(cron, "bk");
        assertThat(cron.getSpec().getSchedule()).isEqualTo("30 2 * * *");
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cron.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        var pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs())
                .containsExactly(
                        "backup",
                        "--config",
                        "/etc/floe/config/floe.toml",
                        "--output-dir",
                        "/backup/bk",
                        "--keep",
                        "3",
                        "--report-file",
                        "/dev/termination-log");
        assertThat(pod.getVolumes())
                .extracting(v -> v.getName() + "="
                        + (v.getPersistentVolumeClaim() == null
                                ? ""
                                : v.getPersistentVolumeClaim().getClaimName()))
                .contains("data=bk-data", "target=backups");
        // only the store and the target: no admin key, no TLS or KMS Secret, no credentials in env
        assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(container.getEnv()).isEmpty();
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        // the data volume is ReadWriteOnce: the backup pod runs beside the catalog pod
        assertThat(pod.getAffinity()
                        .getPodAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .get(0)
                        .getLabelSelector()
                        .getMatchLabels())
                .isEqualTo(CatalogNames.selector(catalog("bk")));
        // and its own pods are not selected as catalog pods (Service, PDB)
        assertThat(cron.getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .containsEntry("app.kubernetes.io/name", BackupJobs.BACKUP_APP);

        apply(Fixtures.catalog("bk", "bk-kms", 1, "embedded:\n  size: 1Gi", ""));
        await().atMost(WAIT)
                .until(() -> client.batch()
                                .v1()
                                .cronjobs()
                                .inNamespace(NS)
                                .withName("bk-backup")
                                .get()
                        == null);
    }

    @Test
    @Order(31)
    void backupOfAPostgresCatalogReadsTheCredentialsSecretAndHasNoDataVolume() {
        localKms("bkpg-kms", null);
        secret("bkpg-db", Map.of("username", "floe", "password", "pw"));
        apply(Fixtures.postgresCatalog("bkpg", "bkpg-kms", 2, backupBlock("backups", "\n      path: team-a/catalogs")));
        CronJob cron = awaitResource(CronJob.class, "bkpg-backup");
        var pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs()).contains("/backup/team-a/catalogs");
        assertThat(pod.getVolumes()).noneMatch(v -> "data".equals(v.getName()));
        assertThat(pod.getAffinity()).isNull();
        // the credentials arrive as the catalog pod's do: read-only files where the TOML points, no env
        assertThat(container.getEnv()).isEmpty();
        var credentials = pod.getVolumes().stream()
                .filter(v ->
                        v.getSecret() != null && "bkpg-db".equals(v.getSecret().getSecretName()))
                .findFirst()
                .orElseThrow();
        assertThat(credentials.getSecret().getItems())
                .extracting(i -> i.getKey())
                .containsExactlyInAnyOrder(
                        dev.floe.contract.CatalogPod.STORAGE_USERNAME, dev.floe.contract.CatalogPod.STORAGE_PASSWORD);
        assertThat(container.getVolumeMounts())
                .anyMatch(m -> m.getName().equals(credentials.getName())
                        && m.getMountPath().equals(dev.floe.contract.CatalogPod.STORAGE_SECRET_DIR)
                        && Boolean.TRUE.equals(m.getReadOnly()));
    }

    @Test
    @Order(32)
    void backupTargetPathOutsideTheVolumeIsRejectedByTheApiServer() {
        localKms("bkbad-kms", null);
        for (String path : List.of("../other", "/abs", "a/../../b")) {
            var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> apply(Fixtures.catalog(
                            "bkbad",
                            "bkbad-kms",
                            1,
                            "embedded:\n  size: 1Gi",
                            backupBlock("backups", "\n      path: " + path))));
            assertThat(error).as(path).isNotNull();
            assertThat(error.getMessage())
                    .contains("must be relative to the volume and must not contain a '..' segment");
        }
        var keep = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> apply(Fixtures.catalog(
                        "bkbad",
                        "bkbad-kms",
                        1,
                        "embedded:\n  size: 1Gi",
                        backupBlock("backups", "").replace("keep: 3", "keep: 0"))));
        assertThat(keep).isNotNull();
        assertThat(keep.getMessage()).contains("spec.backup.keep");
    }

    @Test
    @Order(33)
    void backupJobReportFromAStandInKubeletIsListedInTheStatus() {
        localKms("bkst-kms", null);
        apply(Fixtures.catalog("bkst", "bkst-kms", 1, "embedded:\n  size: 1Gi", backupBlock("backups", "")));
        CronJob cron = awaitResource(CronJob.class, "bkst-backup");
        IcebergCatalog owner = catalog("bkst");
        // Stand-in for the CronJob controller: the Job it would create from the template.
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                        .withNewMetadata()
                        .withName("bkst-backup-29000000")
                        .withLabels(
                                cron.getSpec().getJobTemplate().getMetadata().getLabels())
                        .addNewOwnerReference()
                        .withApiVersion("batch/v1")
                        .withKind("CronJob")
                        .withName("bkst-backup")
                        .withUid(cron.getMetadata().getUid())
                        .endOwnerReference()
                        .endMetadata()
                        .withSpec(cron.getSpec().getJobTemplate().getSpec())
                        .build())
                .create();
        // Stand-in for the kubelet: the pod ran floe backup, which wrote its report to the termination message.
        String report =
                "{\"time\":\"2026-12-05T02:30:01Z\",\"location\":\"/backup/bkst/floe-backup-20261205T023001Z.zip\","
                        + "\"sizeBytes\":48213,\"schemaVersion\":\"30\",\"rows\":17}";
        var podSpec = job.getSpec().getTemplate().getSpec();
        var pod = client.pods()
                .inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata()
                        .withName("bkst-backup-29000000-abcde")
                        .addToLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                        .addToLabels("job-name", job.getMetadata().getName())
                        .endMetadata()
                        .withSpec(podSpec)
                        .build())
                .create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase("Succeeded")
                .addNewContainerStatus()
                .withName("backup")
                .withImage("floe")
                .withImageID("")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withReason("Completed")
                .withMessage(report)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .build());
        client.pods().inNamespace(NS).resource(pod).updateStatus();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withStartTime(now)
                .withCompletionTime(now)
                .withSucceeded(1)
                .withConditions(
                        new JobConditionBuilder()
                                .withType("SuccessCriteriaMet")
                                .withStatus("True")
                                .withLastTransitionTime(now)
                                .build(),
                        new JobConditionBuilder()
                                .withType("Complete")
                                .withStatus("True")
                                .withLastTransitionTime(now)
                                .build())
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();

        await().atMost(WAIT).untilAsserted(() -> {
            var backup = catalog("bkst").getStatus().backup();
            assertThat(backup).isNotNull();
            assertThat(backup.lastResult()).isEqualTo("Succeeded");
            assertThat(backup.lastJob()).isEqualTo("bkst-backup-29000000");
            assertThat(backup.archives()).singleElement().satisfies(a -> {
                assertThat(a.location()).isEqualTo("pvc://backups/bkst/floe-backup-20261205T023001Z.zip");
                assertThat(a.sizeBytes()).isEqualTo(48213L);
                assertThat(a.time()).isEqualTo("2026-12-05T02:30:01Z");
            });
        });
        await().atMost(WAIT)
                .until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                        .anyMatch(e -> "bkst".equals(e.getInvolvedObject().getName())
                                && "BackupSucceeded".equals(e.getReason())
                                && e.getMessage()
                                        .contains(
                                                "pvc://backups/bkst/floe-backup-20261205T023001Z.zip (48213 bytes)")));
        // the rotation status is not confused by a backup Job
        assertThat(catalog("bkst").getStatus().encryption().lastRotationJob()).isNull();
        assertThat(owner.getMetadata().getUid()).isNotNull();
    }

    /** An embedded catalog on an s3:// warehouse whose backups go to its object store. */
    static String s3CatalogWithObjectStoreBackup(String name, String warehouse, String target) {
        return """
                apiVersion: floe.dev/v1alpha1
                kind: IcebergCatalog
                metadata:
                  name: %1$s
                spec:
                  replicas: 1
                  storage:
                    embedded:
                      size: 1Gi
                  warehouse:
                    location: %2$s
                    credentialsSecret: %1$s-s3
                    s3:
                      endpoint: http://s3.example:9000
                      region: us-east-1
                  kms:
                    bindingRef: %1$s-kms
                  backup:
                    schedule: "30 2 * * *"
                    keep: 3
                    target:
                %3$s
                """.formatted(
                        name,
                        warehouse,
                        target.lines()
                                .map(l -> "      " + l)
                                .reduce((a, b) -> a + "\n" + b)
                                .orElse(""));
    }

    @Test
    @Order(34)
    void backupToTheWarehouseObjectStoreMountsOnlyTheWarehouseCredentialsAndNoTargetVolume() {
        localKms("bks3-kms", null);
        secret("bks3-s3", Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret"));
        apply(s3CatalogWithObjectStoreBackup(
                "bks3", "s3://lake/bks3", "objectStore:\n  location: s3://lake-backups/catalogs/bks3/"));
        CronJob cron = awaitResource(CronJob.class, "bks3-backup");
        var pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getArgs())
                .containsExactly(
                        "backup",
                        "--config",
                        "/etc/floe/config/floe.toml",
                        "--output-dir",
                        "s3://lake-backups/catalogs/bks3",
                        "--keep",
                        "3",
                        "--report-file",
                        "/dev/termination-log");
        assertThat(pod.getVolumes()).noneMatch(v -> "target".equals(v.getName()));
        var credentials =
                pod.getVolumes().stream().filter(v -> v.getSecret() != null).toList();
        assertThat(credentials)
                .singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("bks3-s3"));
        assertThat(container.getVolumeMounts())
                .anyMatch(m -> m.getName().equals(credentials.get(0).getName())
                        && m.getMountPath().equals(dev.floe.contract.CatalogPod.WAREHOUSE_SECRET_DIR)
                        && Boolean.TRUE.equals(m.getReadOnly()));
        assertThat(container.getEnv()).isEmpty();
        // an s3:// location in a report stays as written in the status
        assertThat(BackupJobs.location(
                        catalog("bks3"), "s3://lake-backups/catalogs/bks3/floe-backup-20261205T023001Z.zip"))
                .isEqualTo("s3://lake-backups/catalogs/bks3/floe-backup-20261205T023001Z.zip");
    }

    @Test
    @Order(35)
    void objectStoreBackupTargetsTheApiServerRejects() {
        localKms("bks3bad-kms", null);
        Map<String, String> cases = Map.of(
                "a file warehouse",
                        Fixtures.catalog(
                                "bks3bad",
                                "bks3bad-kms",
                                1,
                                "embedded:\n  size: 1Gi",
                                "backup:\n  schedule: \"@daily\"\n  target:\n    objectStore:\n      location: s3://lake-backups/x"),
                "both targets",
                        s3CatalogWithObjectStoreBackup(
                                "bks3bad",
                                "s3://lake/x",
                                "objectStore:\n  location: s3://lake-backups/x\nvolume:\n  claimName: backups"),
                "no target", s3CatalogWithObjectStoreBackup("bks3bad", "s3://lake/x", "{}"),
                "not s3",
                        s3CatalogWithObjectStoreBackup(
                                "bks3bad", "s3://lake/x", "objectStore:\n  location: gs://lake-backups/x"));
        Map<String, String> messages = Map.of(
                "a file warehouse", "spec.warehouse.location must be an s3:// location",
                "both targets", "set exactly one of volume or objectStore",
                "no target", "set exactly one of volume or objectStore",
                "not s3", "spec.backup.target.objectStore.location");
        cases.forEach((name, yaml) -> {
            var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.fabric8.kubernetes.client.KubernetesClientException.class, () -> apply(yaml));
            assertThat(error).as(name).isNotNull();
            assertThat(error.getMessage()).as(name).contains(messages.get(name));
        });
    }

    /** A claim as a user writes it for a restore: the operator's labels are not on it. */
    static void handMadeClaim(String name, String accessMode, Map<String, String> labels) {
        client.persistentVolumeClaims()
                .inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes(accessMode)
                        .withNewResources()
                        .withRequests(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                        .endResources()
                        .endSpec()
                        .build())
                .create();
    }

    static Map<String, String> claimLabels(String name) {
        return client.persistentVolumeClaims()
                .inNamespace(NS)
                .withName(name)
                .get()
                .getMetadata()
                .getLabels();
    }

    @Test
    @Order(36)
    void adoptsAnUnlabelledClaimMadeByHandForARestore() {
        handMadeClaim("restored-data", "ReadWriteOnce", Map.of("example.com/team", "data"));
        String uid = client.persistentVolumeClaims()
                .inNamespace(NS)
                .withName("restored-data")
                .get()
                .getMetadata()
                .getUid();
        localKms("restored-kms", null);
        apply(Fixtures.embeddedCatalog("restored", "restored-kms"));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(claimLabels("restored-data"))
                        .containsEntry(CatalogNames.MANAGED_BY, CatalogNames.OPERATOR)
                        .containsEntry(CatalogNames.CATALOG_LABEL, "restored")
                        .containsEntry(CatalogNames.RETAINED_LABEL, "true")
                        .containsEntry("example.com/team", "data"));
        PersistentVolumeClaim claim = client.persistentVolumeClaims()
                .inNamespace(NS)
                .withName("restored-data")
                .get();
        assertThat(claim.getMetadata().getUid())
                .as("the same claim, not a new one")
                .isEqualTo(uid);
        assertThat(claim.getMetadata().getOwnerReferences())
                .as("kept: deleteClaim is false")
                .isNullOrEmpty();
        Deployment deployment = awaitResource(Deployment.class, "restored");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly("restored-data");
        // No provisioner here, so the claim stays Pending: the status says that, not a failure.
        awaitCondition("restored", "StorageReady", "False", "VolumeClaimPending");
        assertThat(condition("restored", "Ready").getReason()).isNotEqualTo("ReconcileFailed");
        assertThat(condition("restored", "Degraded").getStatus()).isEqualTo("False");
    }

    @Test
    @Order(37)
    void claimItCannotAdoptIsReportedWithWhatToChange() {
        handMadeClaim("shared-data", "ReadWriteMany", Map.of());
        localKms("shared-kms", null);
        apply(Fixtures.embeddedCatalog("shared", "shared-kms"));

        awaitCondition("shared", "Ready", "False", "DataClaimNotAdoptable");
        assertThat(condition("shared", "Ready").getMessage())
                .isEqualTo("PersistentVolumeClaim shared-data has accessModes [ReadWriteMany]; the catalog needs"
                        + " [ReadWriteOnce], which a claim cannot change: recreate it with that");
        assertThat(condition("shared", "Degraded").getReason()).isEqualTo("DataClaimNotAdoptable");
        assertThat(claimLabels("shared-data")).as("left as it was").isNullOrEmpty();
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("shared")
                        .get())
                .as("no pods on a claim the operator refused")
                .isNull();
    }

    @Test
    @Order(38)
    void claimLabelledForAnotherCatalogIsAdoptedOnceTheUserHandsItOver() {
        handMadeClaim("handover-data", "ReadWriteOnce", Map.of(CatalogNames.CATALOG_LABEL, "someone-else"));
        localKms("handover-kms", null);
        apply(Fixtures.embeddedCatalog("handover", "handover-kms"));
        awaitCondition("handover", "Ready", "False", "DataClaimNotAdoptable");
        assertThat(condition("handover", "Ready").getMessage())
                .contains("floe.dev/catalog=someone-else")
                .contains("set the label to handover");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("handover")
                        .get())
                .as("no pods on a claim the operator refused")
                .isNull();

        // The claim has no operator label, so no informer tells the operator: it looks again by itself.
        client.persistentVolumeClaims()
                .inNamespace(NS)
                .withName("handover-data")
                .edit(c -> {
                    c.getMetadata().getLabels().put(CatalogNames.CATALOG_LABEL, "handover");
                    return c;
                });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(claimLabels("handover-data"))
                        .containsEntry(CatalogNames.MANAGED_BY, CatalogNames.OPERATOR)
                        .containsEntry(CatalogNames.RETAINED_LABEL, "true"));
        awaitCondition("handover", "StorageReady", "False", "VolumeClaimPending");
        assertThat(condition("handover", "Degraded").getStatus()).isEqualTo("False");
        Deployment deployment = awaitResource(Deployment.class, "handover");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly("handover-data");
    }

    /** Waits until the operator has converged: a few seconds pass without any of these writes. */
    private static void awaitConvergedWithoutWrites(Supplier<List<String>> writes) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            int before = writes.get().size();
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> true);
            return writes.get().size() == before;
        });
    }

    /** The operator's writes to these catalogs or to objects named after them ({@code <name>-…}). */
    private static List<String> writesConcerning(List<String> catalogs) {
        return operatorRequests.writes().stream()
                .filter(write ->
                        catalogs.stream().anyMatch(c -> write.matches(".*/" + Pattern.quote(c) + "(-[^/]*)?(/.*)?")))
                .toList();
    }
}
