package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a real kube-apiserver: whatever the KMS provider, with PostgreSQL and S3 credentials, no
 * Secret value reaches a container's environment in anything the operator renders (the catalog
 * Deployment, the rotation CronJob and a {@code floe.dev/rotate-now} Job): no {@code secretKeyRef},
 * no {@code envFrom} of a Secret, and no literal value equal to a Secret's content. The Secrets are
 * read-only volumes instead, and every {@code *_file}/{@code *_dir} key of the rendered TOML names a
 * file or directory that such a mount provides. ADLS and GCS warehouses get their key file the same
 * way, and with workload identity nothing at all.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class SecretsAsFilesIT {
    static final String NS = "default";
    static final Duration WAIT = Duration.ofSeconds(60);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    /** Every value put into a Secret by this test: none may appear in an environment. */
    static final Set<String> SECRET_VALUES = new HashSet<>();

    @BeforeAll
    static void startOperator() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
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

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws", "azure", "vault", "gcp"})
    void noSecretValueIsInAnyRenderedEnvironmentAndEveryConfiguredSecretFileIsMounted(String provider)
            throws Exception {
        String name = "files-" + provider;
        String binding = name + "-kms";
        secret(binding + "-credentials", credentials(provider));
        apply(Fixtures.binding(binding, providerBlock(provider), "rotation:\n  schedule: \"0 3 * * 0\""));
        secret(name + "-db", Map.of("username", "floe-" + random(), "password", random()));
        secret(name + "-s3", Map.of("AWS_ACCESS_KEY_ID", "AKIA" + random(), "AWS_SECRET_ACCESS_KEY", random()));
        apply(Fixtures.postgresCatalog(name, binding, 2, "")
                .replace("location: file:///var/lib/floe/warehouse", """
                        location: s3://bucket/wh
                            credentialsSecret: %s-s3
                            s3:
                              endpoint: http://s3.storage.svc:9000
                              pathStyleAccess: true""".formatted(name)));

        Deployment deployment = await().atMost(WAIT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        d -> d != null);
        CronJob cron = await().atMost(WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .cronjobs()
                                .inNamespace(NS)
                                .withName(name + "-rotate-keys")
                                .get(),
                        c -> c != null);
        new Resources(client, NS).annotate(IcebergCatalog.class, name, CatalogNames.ROTATE_NOW, "now-" + provider);
        Job job = await().atMost(WAIT)
                .until(
                        () -> client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NS)
                                .withLabel(CatalogNames.CATALOG_LABEL, name)
                                .list()
                                .getItems(),
                        l -> !l.isEmpty())
                .get(0);

        Map<String, PodSpec> pods = new LinkedHashMap<>();
        pods.put("Deployment " + name, deployment.getSpec().getTemplate().getSpec());
        pods.put(
                "CronJob " + cron.getMetadata().getName(),
                cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        pods.put(
                "Job " + job.getMetadata().getName(),
                job.getSpec().getTemplate().getSpec());
        pods.forEach(SecretsAsFilesIT::assertNoSecretInEnvironment);

        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container catalog = pod.getContainers().get(0);
        ConfigMap config =
                client.configMaps().inNamespace(NS).withName(name + "-config").get();
        List<String> secretPaths = secretPaths(config.getData().get("floe.toml"));
        assertThat(secretPaths)
                .as("the TOML names the PostgreSQL and S3 credential files")
                .hasSizeGreaterThanOrEqualTo(3);
        for (String path : secretPaths) {
            assertMountedFromSecret(pod, catalog, path);
        }
        for (Volume volume : pod.getVolumes()) {
            if (volume.getSecret() != null) {
                assertThat(volume.getSecret().getDefaultMode())
                        .as("mode of Secret volume " + volume.getName())
                        .isEqualTo(0440);
            }
        }
        assertThat(pod.getSecurityContext().getFsGroup())
                .as("fsGroup makes 0440 files readable by any UID in the pod")
                .isNotNull();
    }

    /**
     * ADLS and GCS warehouses with a credentials Secret: the reconciled ConfigMap and Deployment on
     * the API server name the one key file the catalog reads (ADLS in the TOML, GCS through
     * GOOGLE_APPLICATION_CREDENTIALS), a read-only Secret volume provides exactly that file, and the
     * key itself is in no environment.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adls", "gcs"})
    void objectStoreKeyOfAnAdlsOrGcsWarehouseIsAMountedFileNamedByTheConfiguration(String store) {
        String name = "wh-" + store;
        String binding = name + "-kms";
        secret(binding + "-credentials", credentials("local"));
        apply(Fixtures.binding(binding, providerBlock("local"), ""));
        boolean adls = store.equals("adls");
        secret(
                name + "-key",
                adls
                        ? Map.of("AZURE_STORAGE_KEY", random(), "unrelated", random())
                        : Map.of(
                                "credentials.json",
                                "{\"type\":\"service_account\",\"private_key\":\"" + random() + "\"}"));
        apply(Fixtures.postgresCatalog(name, binding, 1, "")
                .replace("location: file:///var/lib/floe/warehouse", adls ? """
                                location: abfss://lake@acct.dfs.core.windows.net/wh
                                    credentialsSecret: %s-key
                                    adls:
                                      endpoint: http://azurite.storage.svc:10000/acct""".formatted(name) : """
                                location: gs://lake/wh
                                    credentialsSecret: %s-key
                                    gcs:
                                      endpoint: http://fake-gcs.storage.svc:4443
                                      projectId: sales-analytics""".formatted(name)));
        secret(name + "-db", Map.of("username", "floe-" + random(), "password", random()));

        Deployment deployment = await().atMost(WAIT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        d -> d != null);
        String toml = client.configMaps()
                .inNamespace(NS)
                .withName(name + "-config")
                .get()
                .getData()
                .get("floe.toml");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container catalog = pod.getContainers().get(0);
        assertNoSecretInEnvironment("Deployment " + name, pod);
        assertThat(toml).doesNotContain("credentials_dir");
        String keyFile;
        if (adls) {
            assertThat(toml)
                    .contains("adls_endpoint = \"http://azurite.storage.svc:10000/acct\"\n")
                    .contains("adls_account_key_file = \"/etc/floe/secrets/warehouse/AZURE_STORAGE_KEY\"\n");
            keyFile = "/etc/floe/secrets/warehouse/AZURE_STORAGE_KEY";
        } else {
            assertThat(toml)
                    .contains("gcs_endpoint = \"http://fake-gcs.storage.svc:4443\"\n")
                    .contains("gcs_project_id = \"sales-analytics\"\n");
            keyFile = catalog.getEnv().stream()
                    .filter(e -> e.getName().equals("GOOGLE_APPLICATION_CREDENTIALS"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no GOOGLE_APPLICATION_CREDENTIALS on " + catalog.getEnv()))
                    .getValue();
            assertThat(keyFile).isEqualTo("/etc/floe/secrets/warehouse/credentials.json");
        }
        assertMountedFromSecret(pod, catalog, keyFile);
        Volume warehouse = pod.getVolumes().stream()
                .filter(v ->
                        v.getSecret() != null && v.getSecret().getSecretName().equals(name + "-key"))
                .findFirst()
                .orElseThrow();
        assertThat(warehouse.getSecret().getItems())
                .as("only the key file the catalog reads is projected")
                .hasSize(1);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    /**
     * An ADLS warehouse with Azure workload identity: no warehouse Secret is mounted nor named, the
     * catalog's ServiceAccount carries the client-id annotation, the pods the webhook's label and the
     * ServiceAccount token the webhook's federation exchanges.
     */
    @Test
    void adlsWarehouseWithWorkloadIdentityAnnotatesTheServiceAccountAndLabelsThePods() {
        String name = "wh-adls-wi";
        String binding = name + "-kms";
        secret(binding + "-credentials", credentials("local"));
        apply(Fixtures.binding(binding, providerBlock("local"), ""));
        apply(Fixtures.embeddedCatalog(name, binding)
                .replace("location: file:///var/lib/floe/warehouse", """
                        location: abfss://lake@acct.dfs.core.windows.net/wh
                            workloadIdentity:
                              serviceAccountAnnotations:
                                azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001
                              podLabels:
                                azure.workload.identity/use: "true"
                        """.stripTrailing()));

        Deployment deployment = await().atMost(WAIT)
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(name)
                                .get(),
                        d -> d != null);
        var serviceAccount = await().atMost(WAIT)
                .until(
                        () -> client.serviceAccounts()
                                .inNamespace(NS)
                                .withName(name + "-catalog")
                                .get(),
                        sa -> sa != null);
        assertThat(serviceAccount.getMetadata().getAnnotations())
                .containsEntry("azure.workload.identity/client-id", "00000000-0000-0000-0000-000000000001");
        var template = deployment.getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("azure.workload.identity/use", "true");
        assertThat(template.getSpec().getAutomountServiceAccountToken()).isTrue();
        assertThat(template.getSpec().getContainers().get(0).getVolumeMounts())
                .noneMatch(m -> m.getMountPath().startsWith("/etc/floe/secrets/warehouse"));
        String toml = client.configMaps()
                .inNamespace(NS)
                .withName(name + "-config")
                .get()
                .getData()
                .get("floe.toml");
        assertThat(toml)
                .contains("location = \"abfss://lake@acct.dfs.core.windows.net/wh\"")
                .doesNotContain("adls_account_key_file")
                .doesNotContain("credentials_dir = \"/etc/floe/secrets/warehouse\"");
    }

    /** Walks env and envFrom of every container (init containers too) of one pod template. */
    static void assertNoSecretInEnvironment(String owner, PodSpec pod) {
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            String where = owner + " container " + c.getName();
            if (c.getEnvFrom() != null) {
                assertThat(c.getEnvFrom())
                        .as(where + " envFrom")
                        .allSatisfy(f -> assertThat(f.getSecretRef()).isNull());
            }
            for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (var.getValueFrom() != null) {
                    assertThat(var.getValueFrom().getSecretKeyRef())
                            .as(where + " env " + var.getName() + " from a Secret")
                            .isNull();
                }
                String value = var.getValue() == null ? "" : var.getValue();
                assertThat(SECRET_VALUES)
                        .as(where + " env " + var.getName() + " holds a Secret value")
                        .noneMatch(secret -> value.contains(secret));
            }
        }
    }

    /**
     * Values of every {@code *_file} and {@code *_dir} key of the TOML (the operator writes one
     * {@code key = "value"} per line) but the service-account token's, which is no Secret of ours.
     */
    static List<String> secretPaths(String toml) {
        Matcher m = Pattern.compile("(?m)^(\\w+_(?:file|dir)) = \"([^\"]*)\"$").matcher(toml);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).equals("vault_kubernetes_token_file")) {
                paths.add(m.group(2));
            }
        }
        return paths;
    }

    /** {@code path} lies in a read-only mount of a Secret volume that holds that file (or is the directory). */
    static void assertMountedFromSecret(PodSpec pod, Container container, String path) {
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount provides " + path));
        assertThat(mount.getReadOnly()).as("mount " + mount.getMountPath()).isTrue();
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret()).as("volume of " + path).isNotNull();
        if (!path.equals(mount.getMountPath())) {
            String file = path.substring(mount.getMountPath().length() + 1);
            var secret = client.secrets()
                    .inNamespace(NS)
                    .withName(volume.getSecret().getSecretName())
                    .get();
            List<String> files = volume.getSecret().getItems() == null
                            || volume.getSecret().getItems().isEmpty()
                    ? List.copyOf(secret.getData().keySet())
                    : volume.getSecret().getItems().stream()
                            .map(i -> i.getPath())
                            .toList();
            assertThat(files).as("files of Secret volume " + volume.getName()).contains(file);
        }
    }

    static Map<String, String> credentials(String provider) {
        return switch (provider) {
            case "local" ->
                Map.of(
                        "master-key",
                        Base64.getEncoder()
                                .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
            case "aws" -> Map.of("AWS_ACCESS_KEY_ID", "AKIA" + random(), "AWS_SECRET_ACCESS_KEY", random());
            case "azure" ->
                Map.of("AZURE_CLIENT_ID", random(), "AZURE_TENANT_ID", random(), "AZURE_CLIENT_SECRET", random());
            case "vault" -> Map.of("token", "hvs." + random());
            case "gcp" ->
                Map.of("credentials.json", "{\"type\":\"service_account\",\"private_key\":\"" + random() + "\"}");
            default -> throw new IllegalArgumentException(provider);
        };
    }

    static String providerBlock(String provider) {
        return switch (provider) {
            case "local" -> "local:\n  keyId: test-1";
            case "aws" -> "aws:\n  keyId: alias/floe\n  region: eu-west-1";
            case "azure" -> "azure:\n  vaultUrl: https://floe.vault.azure.net\n  keyName: floe";
            case "vault" -> "vault:\n  address: https://vault.vault.svc:8200\n  keyName: floe";
            case "gcp" -> "gcp:\n  projectId: p\n  location: europe-west1\n  keyRing: r\n  cryptoKey: k";
            default -> throw new IllegalArgumentException(provider);
        };
    }

    static String random() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static void secret(String name, Map<String, String> data) {
        SECRET_VALUES.addAll(data.values());
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

    static void apply(String yaml) {
        for (HasMetadata item : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(item).inNamespace(NS).forceConflicts().serverSideApply();
        }
    }
}
