package dev.floe.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.catalog.CatalogNames;
import dev.floe.operator.testing.Crds;
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
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end (DESIGN.md, tests layer 5, without a kubelet): the operator reconciles the sample
 * {@code deploy/samples/embedded-local-kms.yaml} on a real kube-apiserver, then the real catalog
 * ({@code catalog/target/floe.jar}) is started from exactly what the operator wrote: the
 * ConfigMap's TOML and the Secrets are laid out at the Deployment's mount paths (under a temporary
 * root, Secret files read-only), the environment is the container's {@code env}, which must hold
 * no Secret reference (the master key and admin key are files), and the command line is the
 * container's args. Only the listen address and port are overridden (a
 * free loopback port), and the CronJob's rotation command is run the same way against it.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogFromOperatorOutputIT {
    static final String NS = "default";
    /*
     * The catalog is named "localhost": its Service is then "localhost", so the operator's
     * self-signed certificate names localhost and the CronJob's endpoint https://localhost:<port>
     * reaches the loopback catalog with full hostname verification and no rewriting of the host.
     */
    static final String CATALOG = "localhost";
    static final Duration START = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    /** What the image's entrypoint runs; the container's args follow it. */
    static final String IMAGE_ENTRYPOINT = "java -jar floe.jar";

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static OperatorClient operatorClient;
    static OperatorRunner operator;
    static Resources k8s;

    static Path root;
    static Path jar;
    static int port;
    static Process catalog;
    static Path catalogLog;
    static HttpClient https;
    static String adminKey;
    static String readinessPath;
    static Map<String, String> podAnnotations;
    static int containerPort;
    static CronJob cronJob;

    @BeforeAll
    static void operatorReconcilesTheSampleAndTheCatalogStartsFromItsOutput() throws Exception {
        jar = KubeTools.repoRoot().resolve("catalog/target/floe.jar");
        assertThat(jar)
                .as(
                        "the catalog jar %s is missing: build it first (./mvnw -B -pl catalog package -DskipTests,"
                                + " or run the whole reactor: catalog builds before operator)",
                        jar)
                .isRegularFile();

        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(client);
        operatorClient = new OperatorClient(KubeTools.client(kubeConfigYaml, new RequestCounter()));
        operator = OperatorRunner.start(operatorClient.client());
        k8s = new Resources(client, NS);

        // The sample's documented first step: a Secret with a random 256-bit master key.
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        k8s.secret("dev-master-key", Map.of("master-key", Base64.getEncoder().encodeToString(masterKey)));
        applySample(KubeTools.repoRoot().resolve("deploy/samples/embedded-local-kms.yaml"));

        Deployment deployment = k8s.await(Deployment.class, CATALOG);
        cronJob = k8s.await(CronJob.class, CatalogNames.cronJob(catalogResource()));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertThat(container.getCommand())
                .as("the image entrypoint (%s) runs the args", IMAGE_ENTRYPOINT)
                .isNullOrEmpty();
        readinessPath = container.getReadinessProbe().getHttpGet().getPath();
        podAnnotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        containerPort = container.getPorts().get(0).getContainerPort();
        assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");

        root = Files.createTempDirectory("floe-e2e-pod");
        PodFiles files = PodFiles.materialize(client, NS, pod, container, root);

        Secret tls = k8s.get(Secret.class, CatalogNames.selfSignedSecret(catalogResource()));
        https = HttpClient.newBuilder()
                .sslContext(trusting(decode(tls, "ca.crt")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Secret admin = k8s.get(Secret.class, CatalogNames.adminKeySecret(catalogResource()));
        adminKey = new String(decode(admin, CatalogNames.ADMIN_KEY), StandardCharsets.UTF_8).strip();

        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(javaJar());
        command.addAll(files.rewrite(container.getArgs()));
        // The only override: listen on a free loopback port instead of 0.0.0.0:8443 (flags beat the TOML).
        command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        catalogLog = root.resolve("catalog.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(catalogLog.toFile());
        pb.environment().clear();
        pb.environment().putAll(files.environment(container));
        catalog = pb.start();

        try {
            await().atMost(START)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("the catalog exited on the operator's configuration", () -> !catalog.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> get(readinessPath, null).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\n--- catalog output ---\n" + Files.readString(catalogLog), e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (catalog != null) {
            catalog.destroy();
            if (!catalog.waitFor(30, TimeUnit.SECONDS)) {
                catalog.destroyForcibly();
            }
        }
        if (operator != null) {
            operator.close();
        }
        if (operatorClient != null) {
            operatorClient.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void readinessProbeOfTheDeploymentAnswersOverHttpsTrustingTheOperatorsCa() throws Exception {
        HttpResponse<String> response = get(readinessPath, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.uri().getScheme()).isEqualTo("https");
    }

    @Test
    @Order(2)
    void theAdminKeyFromTheOperatorsSecretCreatesAndListsANamespace() throws Exception {
        HttpResponse<String> config = get("/v1/config", adminKey);
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        String prefix =
                JSON.readTree(config.body()).path("overrides").path("prefix").asText();
        assertThat(prefix).isNotEmpty();

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/v1/" + prefix + "/namespaces"))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"namespace\":[\"e2e\"],\"properties\":{\"owner\":\"operator-test\"}}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        HttpResponse<String> listed = get("/v1/" + prefix + "/namespaces", adminKey);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode namespaces = JSON.readTree(listed.body()).path("namespaces");
        assertThat(namespaces.toString()).contains("[\"e2e\"]");
    }

    @Test
    @Order(3)
    void withoutAKeyTheCatalogAnswers401() throws Exception {
        HttpResponse<String> response = get("/v1/config", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void theCronJobsRotationCommandRotatesTheKeysOfTheRunningCatalog() throws Exception {
        PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Path jobRoot = Files.createTempDirectory("floe-e2e-rotation-pod");
        PodFiles files = PodFiles.materialize(client, NS, pod, container, jobRoot);

        List<String> command = new ArrayList<>(javaJar());
        for (String arg : files.rewrite(container.getArgs())) {
            // The Service port becomes the catalog's loopback port; the host (localhost) stays.
            command.add(arg.startsWith("https://") ? withPort(URI.create(arg), port) : arg);
        }
        assertThat(command).as("the CronJob targets the catalog's Service").contains("https://localhost:" + port);
        Path out = jobRoot.resolve("rotate.out");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(jobRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(files.environment(container));
        Process rotation = pb.start();
        assertThat(rotation.waitFor(120, TimeUnit.SECONDS))
                .as("rotation finished")
                .isTrue();
        String output = Files.readString(out);
        assertThat(rotation.exitValue()).as(output).isZero();

        String lastLine = output.strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode summary = JSON.readTree(lastLine);
        assertThat(summary.path("ok").asBoolean()).as(lastLine).isTrue();
        assertThat(summary.path("status").asInt()).as(lastLine).isEqualTo(200);
        // The sample's binding leaves rotation.reencrypt at its default (true): the Job's env says so.
        assertThat(container.getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("FLOE_ROTATE_REENCRYPT=true"));
        assertThat(summary.path("reencrypted").asBoolean()).as(lastLine).isTrue();
        assertThat(output).doesNotContain(adminKey);
    }

    // --- helpers ---------------------------------------------------------------------------

    static IcebergCatalog catalogResource() {
        return k8s.get(IcebergCatalog.class, CATALOG);
    }

    /** Applies the sample as committed, renaming only the catalog (see {@link #CATALOG}). */
    @Test
    @Order(5)
    void thePodsPrometheusAnnotationsPointAtTheCatalogsMetrics() throws Exception {
        assertThat(podAnnotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/scheme", "https")
                .containsEntry("prometheus.io/port", Integer.toString(containerPort));
        HttpResponse<String> metrics = get(podAnnotations.get("prometheus.io/path"), null);
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
    }

    static void applySample(Path sample) throws IOException {
        try (InputStream in = Files.newInputStream(sample)) {
            for (HasMetadata item : client.load(in).items()) {
                if ("IcebergCatalog".equals(item.getKind())) {
                    item.getMetadata().setName(CATALOG);
                }
                client.resource(item).inNamespace(NS).forceConflicts().serverSideApply();
            }
        }
    }

    static List<String> javaJar() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-jar", jar.toString());
    }

    static String withPort(URI uri, int newPort) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + newPort
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    static URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return https.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] decode(Secret secret, String key) {
        assertThat(secret.getData()).as(secret.getMetadata().getName()).containsKey(key);
        return Base64.getDecoder().decode(secret.getData().get(key));
    }

    static SSLContext trusting(byte[] pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate cert :
                CertificateFactory.getInstance("X.509").generateCertificates(new java.io.ByteArrayInputStream(pem))) {
            store.setCertificateEntry("ca-" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /**
     * A pod's files laid out under a local root as the kubelet would mount them: ConfigMap and
     * Secret volumes (their {@code items} or every key), empty directories for the rest. Paths
     * in args, env values and mounted files are rewritten from the mount paths to the root.
     */
    record PodFiles(KubernetesClient client, String namespace, Path root, Pattern mountPaths) {

        static PodFiles materialize(
                KubernetesClient client, String namespace, PodSpec pod, Container container, Path root)
                throws IOException {
            List<VolumeMount> mounts = container.getVolumeMounts();
            Pattern pattern = Pattern.compile(
                    "(?<![\\w.-])("
                            + mounts.stream()
                                    .map(VolumeMount::getMountPath)
                                    .sorted(Comparator.comparingInt(String::length)
                                            .reversed())
                                    .map(Pattern::quote)
                                    .collect(Collectors.joining("|"))
                            + ")(?=[/\"'\\s]|$)",
                    Pattern.MULTILINE);
            PodFiles files = new PodFiles(client, namespace, root, pattern);
            for (VolumeMount mount : mounts) {
                Volume volume = pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
                Path dir = files.local(mount.getMountPath());
                Files.createDirectories(dir);
                if (volume.getConfigMap() != null) {
                    ConfigMap map = client.configMaps()
                            .inNamespace(namespace)
                            .withName(volume.getConfigMap().getName())
                            .get();
                    assertThat(map)
                            .as("ConfigMap " + volume.getConfigMap().getName())
                            .isNotNull();
                    Map<String, byte[]> data = new LinkedHashMap<>();
                    map.getData().forEach((k, v) -> data.put(k, files.rewrite(v).getBytes(StandardCharsets.UTF_8)));
                    write(dir, data, volume.getConfigMap().getItems());
                } else if (volume.getSecret() != null) {
                    Secret secret = client.secrets()
                            .inNamespace(namespace)
                            .withName(volume.getSecret().getSecretName())
                            .get();
                    assertThat(secret)
                            .as("Secret " + volume.getSecret().getSecretName())
                            .isNotNull();
                    Map<String, byte[]> data = new LinkedHashMap<>();
                    secret.getData()
                            .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
                    write(dir, data, volume.getSecret().getItems());
                    readOnly(dir, volume.getSecret().getDefaultMode());
                }
                // emptyDir and the PersistentVolumeClaim: an empty directory, as on a fresh volume.
            }
            return files;
        }

        /** The Secret volume's defaultMode on its files (owner bits only: this process is not in an fsGroup). */
        private static void readOnly(Path dir, Integer mode) throws IOException {
            assertThat(mode).as("defaultMode of a Secret volume").isEqualTo(0440);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.setPosixFilePermissions(
                            file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
                }
            }
        }

        private static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items) throws IOException {
            if (items == null || items.isEmpty()) {
                for (Map.Entry<String, byte[]> e : data.entrySet()) {
                    Files.write(dir.resolve(e.getKey()), e.getValue());
                }
                return;
            }
            for (KeyToPath item : items) {
                assertThat(data).as("key " + item.getKey()).containsKey(item.getKey());
                Files.write(dir.resolve(item.getPath()), data.get(item.getKey()));
            }
        }

        Path local(String mountPath) {
            return Path.of(root + mountPath);
        }

        /** Replaces every mount path in a text by its local directory (one pass: no double rewriting). */
        String rewrite(String text) {
            Matcher m = mountPaths.matcher(text);
            return m.replaceAll(r -> Matcher.quoteReplacement(local(r.group(1)).toString()));
        }

        List<String> rewrite(List<String> args) {
            return args.stream().map(this::rewrite).toList();
        }

        /**
         * The container's env: literal values (paths rewritten). A Secret reference fails the test:
         * the operator hands Secrets over as mounted files only.
         */
        Map<String, String> environment(Container container) {
            assertThat(container.getEnvFrom() == null ? List.of() : container.getEnvFrom())
                    .as("envFrom of " + container.getName())
                    .allSatisfy(f -> assertThat(f.getSecretRef()).isNull());
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar var : container.getEnv()) {
                assertThat(var.getValueFrom())
                        .as("env " + var.getName() + " of " + container.getName()
                                + " comes from another object; Secrets must be mounted files")
                        .isNull();
                env.put(var.getName(), rewrite(var.getValue() == null ? "" : var.getValue()));
            }
            return env;
        }
    }
}
