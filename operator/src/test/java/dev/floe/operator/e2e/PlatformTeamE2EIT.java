package dev.floe.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.operator.testing.Helm;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.NodeCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end on a real single-node cluster (kubelet, containerd with runc, kube-proxy, CoreDNS,
 * cert-manager's controller, a volume provisioner), with the catalog and operator images the Maven
 * build just made, following the path a platform team takes: the README's install commands, a
 * tenant's KmsBinding and IcebergCatalog on an S3 warehouse with a cert-manager CA, a PyIceberg
 * client in a pod, key rotation, a lost pod, rollouts under client load, PostgreSQL with two
 * replicas, and deletion. Each step uses kubectl as a user would; the steps build on each other,
 * so they run in order. Figures (apply-to-Ready, rollout failures) are printed and written to
 * {@code target/e2e-figures.txt}.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformTeamE2EIT {

    private static final String NS = "floe-e2e";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final Map<String, String> figures = new LinkedHashMap<>();
    private NodeCluster node;
    private E2eImages images;
    private Helm helm;
    /** From the backup step, for the restore after the catalog's deletion. */
    private String backupArchive;

    private String catalogImage;
    private JsonNode tablesBeforeBackup;

    @BeforeAll
    void startNodeAndLoadImages() {
        long start = System.nanoTime();
        images = E2eImages.build();
        figures.put("test images built (s)", seconds(start));
        start = System.nanoTime();
        node = NodeCluster.startClean();
        figures.put("node start (s)", seconds(start));
        start = System.nanoTime();
        node.load(images.archives());
        figures.put("image import (s)", seconds(start));
    }

    @AfterAll
    void reportAndStop() throws IOException {
        StringBuilder report = new StringBuilder();
        figures.forEach((k, v) -> report.append(k).append(": ").append(v).append('\n'));
        System.out.println("== end-to-end figures ==\n" + report);
        Files.writeString(Path.of("target/e2e-figures.txt"), report);
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void installsOperatorWithReadmeCommands() {
        node.kubectl("apply", "-f", "crds/").assertOk();
        node.kubectl("apply", "-k", "deploy/default").assertOk();
        node.kubectl(
                        WAIT,
                        null,
                        "-n",
                        "floe-system",
                        "rollout",
                        "status",
                        "deployment/floe-operator",
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();

        List<String> running = lines(node.kubectl(
                        "-n",
                        "floe-system",
                        "get",
                        "pods",
                        "-l",
                        "app.kubernetes.io/name=floe-operator",
                        "--field-selector=status.phase=Running",
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name}{'\\n'}{end}")
                .assertOk()
                .out());
        assertThat(running).hasSize(2);
        String leader = node.kubectl(
                        "-n",
                        "floe-system",
                        "get",
                        "lease",
                        "floe-operator-leader",
                        "-o",
                        "jsonpath={.spec.holderIdentity}")
                .assertOk()
                .out()
                .trim();
        assertThat(running).contains(leader);
    }

    @Test
    @Order(2)
    void tenantCatalogOnS3WithCertManagerCaBecomesReady() {
        node.kubectl("create", "namespace", NS).assertOk();
        apply("s3.yaml");
        apply("issuer.yaml");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        node.kubectl(
                        "-n",
                        NS,
                        "create",
                        "secret",
                        "generic",
                        "tenant-master-key",
                        "--from-literal=master-key=" + Base64.getEncoder().encodeToString(key))
                .assertOk();
        waitFor("certificate/floe-ca", "condition=Ready");

        apply("backups.yaml");
        long start = System.nanoTime();
        apply("catalog.yaml");
        waitFor("icebergcatalog/lakehouse", "condition=Ready");
        figures.put("IcebergCatalog apply to Ready, embedded (s)", seconds(start));

        assertThat(jsonpath("certificate/lakehouse-tls", "{.status.conditions[?(@.type=='Ready')].status}"))
                .as("the catalog's certificate is issued by cert-manager's controller")
                .isEqualTo("True");
        assertThat(jsonpath("certificate/lakehouse-tls", "{.spec.issuerRef.name}"))
                .isEqualTo("floe-ca");
        assertThat(jsonpath("pvc/lakehouse-data", "{.status.phase}")).isEqualTo("Bound");
    }

    @Test
    @Order(3)
    void clientPodWritesAndReadsThroughTheService() throws IOException {
        Path script = Files.createTempFile("client", ".py");
        try (InputStream in = resource("client.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        node.kubectl("-n", NS, "create", "configmap", "client-scripts", "--from-file=client.py=" + script)
                .assertOk();
        startClient("lakehouse");
        waitFor("deployment/s3", "condition=Available");

        assertThat(client("lakehouse", "bucket", "warehouse").get("exists").asBoolean())
                .isTrue();
        JsonNode written = client("lakehouse", "write", "sales", "orders", "100");
        assertThat(written.get("rows").asInt()).isEqualTo(100);
        JsonNode counted = client("lakehouse", "count", "sales", "orders");
        assertThat(counted.get("rows").asInt()).isEqualTo(100);
        assertThat(counted.get("metadata_location").asText()).startsWith("s3://warehouse/lakehouse/");
    }

    /**
     * Issue 12, defect 4: a renewal must not restart catalog pods (the catalog reloads its PEM
     * files), which for an embedded catalog (Recreate) would be an outage at every renewal. The
     * renewal is triggered the way {@code cmctl renew} does it, with the Issuing condition.
     */
    @Test
    @Order(4)
    void aRenewedCertificateIsServedByTheSamePodWithoutAnOutage() throws Exception {
        List<String> podsBefore = catalogPodStates("lakehouse");
        assertThat(podsBefore)
                .as("one pod, never restarted: %s", podsBefore)
                .hasSize(1)
                .allMatch(p -> p.endsWith(" 0"));
        String generation = jsonpath("deployment/lakehouse", "{.metadata.generation}");
        String secret = jsonpath("certificate/lakehouse-tls", "{.spec.secretName}");
        BigInteger issued = secretSerial(secret);
        assertThat(servedSerial("lakehouse")).isEqualTo(issued);
        String revision = jsonpath("certificate/lakehouse-tls", "{.status.revision}");

        LoadLoop loop = startLoadLoop("lakehouse", "sales.orders");
        long start = System.nanoTime();
        String issuing = "[{\"op\":\"add\",\"path\":\"/status/conditions/-\",\"value\":{\"type\":\"Issuing\","
                + "\"status\":\"True\",\"reason\":\"ManuallyTriggered\",\"message\":\"renewal by the e2e suite\","
                + "\"lastTransitionTime\":\""
                + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}}]";
        node.kubectl(
                        "-n",
                        NS,
                        "patch",
                        "certificate/lakehouse-tls",
                        "--subresource=status",
                        "--type=json",
                        "-p",
                        issuing)
                .assertOk();
        awaitValue(
                () -> revision.equals(jsonpath("certificate/lakehouse-tls", "{.status.revision}")) ? null : "renewed");
        BigInteger renewed = awaitValue(() -> {
            BigInteger now = secretSerial(secret);
            return now.equals(issued) ? null : now;
        });
        figures.put("certificate renewal: Issuing to new Secret (s)", seconds(start));
        // kubelet refreshes the mounted Secret (about a minute), then the catalog's file watch reloads it.
        awaitValue(() -> renewed.equals(servedSerial("lakehouse")) ? "served" : null);
        figures.put("certificate renewal: Issuing to new certificate served (s)", seconds(start));
        JsonNode summary = loop.stop();
        figures.put(
                "certificate renewal, embedded: client requests",
                summary.get("requests").asText());
        figures.put(
                "certificate renewal, embedded: failed requests",
                summary.get("failures").asText());

        assertThat(catalogPodStates("lakehouse"))
                .as("the same pod, restartCount 0")
                .isEqualTo(podsBefore);
        assertThat(jsonpath("deployment/lakehouse", "{.metadata.generation}"))
                .as("no rollout")
                .isEqualTo(generation);
        assertThat(summary.get("requests").asInt()).isPositive();
        assertThat(summary.get("failures").asInt())
                .as("failed requests during the renewal: %s", summary)
                .isZero();
    }

    @Test
    @Order(5)
    void rotateNowRunsARotationJobAndTheDataStaysReadable() {
        JsonNode before = client("lakehouse", "keys");
        node.kubectl("-n", NS, "annotate", "kmsbinding/tenant-key", "floe.dev/rotate-now=" + System.currentTimeMillis())
                .assertOk();

        String job = awaitValue(() -> lines(node.kubectl(
                                "-n", NS, "get", "jobs", "-o", "jsonpath={range .items[*]}{.metadata.name}{'\\n'}{end}")
                        .assertOk()
                        .out())
                .stream()
                .filter(name -> name.startsWith("lakehouse-rotate-"))
                .findFirst()
                .orElse(null));
        waitFor("job/" + job, "condition=Complete");
        awaitValue(() ->
                "Succeeded".equals(jsonpath("icebergcatalog/lakehouse", "{.status.encryption.lastRotationResult}"))
                        ? "ok"
                        : null);
        awaitValue(() ->
                "Succeeded".equals(jsonpath("kmsbinding/tenant-key", "{.status.lastRotationResult}")) ? "ok" : null);
        assertThat(jsonpath("icebergcatalog/lakehouse", "{.status.encryption.lastRotationJob}"))
                .isEqualTo(job);

        JsonNode after = client("lakehouse", "keys");
        assertThat(activeKeys(after))
                .as("rotation starts a new active data key")
                .isNotEqualTo(activeKeys(before));
        assertThat(client("lakehouse", "count", "sales", "orders").get("rows").asInt())
                .isEqualTo(100);
    }

    @Test
    @Order(6)
    void aDeletedCatalogPodIsReplacedAndServesTheSameTables() {
        String location = client("lakehouse", "count", "sales", "orders")
                .get("metadata_location")
                .asText();
        String pod = catalogPods("lakehouse").get(0);
        long start = System.nanoTime();
        node.kubectl(WAIT, null, "-n", NS, "delete", "pod", pod, "--wait=true").assertOk();
        String replacement = awaitValue(() -> catalogPods("lakehouse").stream()
                .filter(p -> !p.equals(pod))
                .findFirst()
                .orElse(null));
        waitFor("pod/" + replacement, "condition=Ready");
        figures.put("catalog pod deleted to replacement Ready (s)", seconds(start));

        JsonNode counted = client("lakehouse", "count", "sales", "orders");
        assertThat(counted.get("rows").asInt()).isEqualTo(100);
        assertThat(counted.get("metadata_location").asText()).isEqualTo(location);
    }

    @Test
    @Order(7)
    void aSpecChangeRollsTheEmbeddedCatalogAndTheClientRecovers() throws Exception {
        JsonNode loop = rollUnderLoad("lakehouse", "sales.orders");
        figures.put(
                "embedded rollout (Recreate): client requests",
                loop.get("requests").asText());
        figures.put(
                "embedded rollout (Recreate): failed requests",
                loop.get("failures").asText());
        figures.put(
                "embedded rollout (Recreate): failure window (s)",
                loop.get("failure_window_seconds").asText());
        figures.put(
                "embedded rollout (Recreate): window of failed or slower than 1 s requests (s)",
                loop.get("disruption_window_seconds").asText());
        figures.put("embedded rollout (Recreate): client loop", loop.toString());
        assertThat(loop.get("requests").asInt())
                .isGreaterThan(loop.get("failures").asInt());
        assertThat(client("lakehouse", "count", "sales", "orders").get("rows").asInt())
                .isEqualTo(100);
    }

    /** A backup started from the catalog's CronJob, as docs/operator.md says: the archive is in the status. */
    @Test
    @Order(8)
    void aBackupJobFromTheCronJobWritesAnArchiveListedInTheStatus() {
        node.kubectl("-n", NS, "create", "job", "--from=cronjob/lakehouse-backup", "lakehouse-backup-now")
                .assertOk();
        long start = System.nanoTime();
        waitFor("job/lakehouse-backup-now", "condition=Complete");
        figures.put("backup Job created to Complete, embedded (s)", seconds(start));
        JsonNode backup = awaitValue(() -> {
            JsonNode status = readJson(jsonpath("icebergcatalog/lakehouse", "{.status.backup}"));
            return "lakehouse-backup-now".equals(status.path("lastJob").asText()) ? status : null;
        });
        figures.put("backup Job created to listed in status (s)", seconds(start));
        assertThat(backup.get("lastResult").asText()).isEqualTo("Succeeded");
        JsonNode archive = backup.get("archives").get(0);
        assertThat(archive.get("job").asText()).isEqualTo("lakehouse-backup-now");
        assertThat(archive.get("location").asText())
                .matches("pvc://floe-backups/lakehouse/floe-backup-\\d{8}T\\d{6}Z\\.zip");
        assertThat(archive.get("sizeBytes").asLong()).isPositive();
        figures.put(
                "backup archive size, 1 table (bytes)", archive.get("sizeBytes").asText());
        awaitValue(() -> node.kubectl(
                                "-n",
                                NS,
                                "get",
                                "events",
                                "--field-selector",
                                "involvedObject.name=lakehouse,reason=BackupSucceeded",
                                "-o",
                                "name")
                        .assertOk()
                        .out()
                        .isBlank()
                ? null
                : "event");
        backupArchive = archive.get("location").asText().substring("pvc://floe-backups/".length());
        catalogImage = jsonpath("icebergcatalog/lakehouse", "{.status.image}");
        tablesBeforeBackup = client("lakehouse", "tables");
        assertThat(tablesBeforeBackup.has("sales.orders"))
                .as("tables: %s", tablesBeforeBackup)
                .isTrue();
    }

    @Test
    @Order(9)
    void aPostgresCatalogWithTwoReplicasRollsWithoutAFailedRequest() throws Exception {
        apply("postgres.yaml");
        long start = System.nanoTime();
        waitFor("icebergcatalog/shared", "condition=Ready");
        figures.put("IcebergCatalog apply to Ready, PostgreSQL, 2 replicas (s)", seconds(start));
        assertThat(catalogPods("shared")).hasSize(2);
        startClient("shared");
        client("shared", "write", "finance", "ledger", "50");

        // A finished rotation pod beside the catalog pods must not stop evictions (node drains).
        String rotationJobs = "floe.dev/catalog=shared,floe.dev/rotation=manual";
        int before = lines(node.kubectl("-n", NS, "get", "jobs", "-l", rotationJobs, "-o", "name")
                        .assertOk()
                        .out())
                .size();
        node.kubectl(
                        "-n",
                        NS,
                        "annotate",
                        "--overwrite",
                        "icebergcatalog/shared",
                        "floe.dev/rotate-now=" + System.currentTimeMillis())
                .assertOk();
        awaitValue(() -> lines(node.kubectl("-n", NS, "get", "jobs", "-l", rotationJobs, "-o", "name")
                                        .assertOk()
                                        .out())
                                .size()
                        > before
                ? "created"
                : null);
        node.kubectl(
                        WAIT.plusSeconds(10),
                        null,
                        "-n",
                        NS,
                        "wait",
                        "job",
                        "-l",
                        rotationJobs,
                        "--for=condition=Complete",
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
        awaitValue(() -> "1".equals(jsonpath("pdb/shared", "{.status.disruptionsAllowed}")) ? "ok" : null);
        assertThat(jsonpath("pdb/shared", "{.status.expectedPods}")).isEqualTo("2");
        String evicted = catalogPods("shared").get(0);
        String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + evicted
                + "\",\"namespace\":\"" + NS + "\"}}";
        node.kubectlWithInput(
                        eviction,
                        "create",
                        "--raw",
                        "/api/v1/namespaces/" + NS + "/pods/" + evicted + "/eviction",
                        "-f",
                        "-")
                .assertOk();
        awaitValue(() ->
                catalogPods("shared").size() == 2 && !catalogPods("shared").contains(evicted) ? "replaced" : null);
        waitFor("icebergcatalog/shared", "condition=Ready");

        JsonNode loop = rollUnderLoad("shared", "finance.ledger");
        figures.put(
                "PostgreSQL rollout (2 replicas): client requests",
                loop.get("requests").asText());
        figures.put(
                "PostgreSQL rollout (2 replicas): failed requests",
                loop.get("failures").asText());
        figures.put("PostgreSQL rollout (2 replicas): client loop", loop.toString());
        assertThat(loop.get("requests").asInt()).isPositive();
        assertThat(loop.get("failures").asInt())
                .as("failed requests during the rollout: %s", loop)
                .isZero();
        assertThat(client("shared", "count", "finance", "ledger").get("rows").asInt())
                .isEqualTo(50);
        recordCatalogPodMemory();
    }

    /** spec.backup.target.objectStore: the backup Job writes to the warehouse's S3 server with the catalog's credentials. */
    @Test
    @Order(10)
    void aPostgresCatalogsBackupJobWritesToTheWarehouseObjectStore() {
        node.kubectl("-n", NS, "create", "job", "--from=cronjob/shared-backup", "shared-backup-now")
                .assertOk();
        long start = System.nanoTime();
        waitFor("job/shared-backup-now", "condition=Complete");
        JsonNode backup = awaitValue(() -> {
            JsonNode status = readJson(jsonpath("icebergcatalog/shared", "{.status.backup}"));
            return "shared-backup-now".equals(status.path("lastJob").asText()) ? status : null;
        });
        figures.put("backup Job created to listed in status, PostgreSQL to S3 (s)", seconds(start));
        assertThat(backup.get("lastResult").asText()).isEqualTo("Succeeded");
        JsonNode archive = backup.get("archives").get(0);
        assertThat(archive.get("location").asText())
                .matches("s3://warehouse/backups/shared/floe-backup-\\d{8}T\\d{6}Z\\.zip");
        assertThat(archive.get("sizeBytes").asLong()).isPositive();
        figures.put(
                "backup archive size in S3, PostgreSQL, 1 table (bytes)",
                archive.get("sizeBytes").asText());
    }

    /** Each catalog pod's memory after the client runs, from kubelet's stats (the pod's cgroup). */
    private void recordCatalogPodMemory() throws IOException {
        JsonNode summary = JSON.readTree(node.kubectl("get", "--raw", "/api/v1/nodes/floe-node/proxy/stats/summary")
                .assertOk()
                .out());
        for (JsonNode pod : summary.get("pods")) {
            String name = pod.at("/podRef/name").asText();
            if (pod.at("/podRef/namespace").asText().equals(NS)
                    && (catalogPods("lakehouse").contains(name)
                            || catalogPods("shared").contains(name))) {
                figures.put(
                        "memory of catalog pod " + name + " (working set, MiB)",
                        String.valueOf(pod.at("/memory/workingSetBytes").asLong() / (1024 * 1024)));
            }
        }
    }

    @Test
    @Order(11)
    void deletingTheCatalogRemovesWhatItOwnedAndKeepsItsDatabaseVolume() {
        List<String> owned = List.of(
                "deployment/lakehouse",
                "service/lakehouse",
                "configmap/lakehouse-config",
                "secret/lakehouse-admin-key",
                "certificate/lakehouse-tls",
                "serviceaccount/lakehouse-catalog",
                "cronjob/lakehouse-rotate-keys",
                "cronjob/lakehouse-backup");
        for (String object : owned) {
            node.kubectl("-n", NS, "get", object).assertOk();
        }
        node.kubectl(WAIT, null, "-n", NS, "delete", "icebergcatalog/lakehouse", "--wait=true")
                .assertOk();
        // Garbage collection is the real controller manager's, in the background: wait for it.
        for (String object : owned) {
            awaitValue(() -> node.kubectl("-n", NS, "get", object, "--ignore-not-found", "-o", "name")
                            .assertOk()
                            .out()
                            .isBlank()
                    ? "gone"
                    : null);
        }
        // The pod goes last (ReplicaSet, then pod, then its grace period): wait for it too.
        awaitValue(
                () -> node.kubectl("-n", NS, "get", "pods", "-l", "app.kubernetes.io/instance=lakehouse", "-o", "name")
                                .assertOk()
                                .out()
                                .isBlank()
                        ? "gone"
                        : null);
        // The database volume is kept (deleteClaim defaults to false), labelled; docs/operator.md says to delete it by
        // hand.
        assertThat(node.kubectl("-n", NS, "get", "pvc", "-l", "floe.dev/retained=true", "-o", "name")
                        .assertOk()
                        .out())
                .contains("persistentvolumeclaim/lakehouse-data");
        node.kubectl(WAIT, null, "-n", NS, "delete", "pvc", "lakehouse-data", "--wait=true")
                .assertOk();
        // What other tenants use stays: the shared catalog, the KMS binding, the S3 server.
        node.kubectl("-n", NS, "get", "icebergcatalog/shared", "kmsbinding/tenant-key", "deployment/s3")
                .assertOk();
    }

    /**
     * The operator installed by kustomize is replaced by the Helm chart (docs/operator.md, "Helm"):
     * the catalog that keeps running is not restarted, since its rendered pods do not change.
     */
    @Test
    @Order(12)
    void helmInstallReplacesTheKustomizeOperatorWithoutRestartingCatalogs() {
        List<String> sharedPods = catalogPodStates("shared");
        node.kubectl(WAIT, null, "delete", "-k", "deploy/default", "--wait=true")
                .assertOk();
        long start = System.nanoTime();
        node.kubectl("create", "namespace", "floe-system").assertOk();
        node.kubectl("label", "namespace", "floe-system", "pod-security.kubernetes.io/enforce=restricted")
                .assertOk();
        helm = Helm.forCluster(node.kubeconfig());
        // The CRDs are there from `kubectl apply -f crds/`: Helm 4 applies a chart's crds/ server-side and
        // would conflict with kubectl's field manager, so docs/operator.md says --skip-crds for this case.
        helm.run("install", "floe-operator", "charts/floe-operator", "--namespace", "floe-system", "--skip-crds")
                .assertOk();
        node.kubectl(
                        WAIT,
                        null,
                        "-n",
                        "floe-system",
                        "rollout",
                        "status",
                        "deployment/floe-operator",
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
        awaitValue(() -> operatorPods().contains(leader()) ? "leading" : null);
        figures.put("helm install to operator rolled out and leading (s)", seconds(start));
        assertThat(operatorPods()).hasSize(2);

        // The Helm-installed operator reconciles the catalog it found (a rotation Job proves it) and leaves its pods
        // alone.
        requestRotationAndAwaitJob("shared");
        assertThat(catalogPodStates("shared"))
                .as("shared's pods after the operator changed hands")
                .isEqualTo(sharedPods);
        waitFor("icebergcatalog/shared", "condition=Ready");
    }

    /**
     * docs/operator.md's restore procedure after the catalog and its volume are gone (step 10):
     * the claim, the restore Job, the catalog again; every table loads at the same metadata location.
     */
    @Test
    @Order(13)
    void aDeletedCatalogIsRestoredFromItsBackupWithEveryTableAtTheSameMetadataLocation() {
        assertThat(backupArchive).as("the backup step ran").isNotNull();
        assertThat(node.kubectl("-n", NS, "get", "pvc/lakehouse-data", "--ignore-not-found", "-o", "name")
                        .assertOk()
                        .out())
                .as("the volume is gone")
                .isBlank();
        long start = System.nanoTime();
        apply("restore.yaml", Map.of("CATALOG", "lakehouse", "CATALOG_IMAGE", catalogImage, "ARCHIVE", backupArchive));
        waitFor("job/lakehouse-restore", "condition=Complete");
        assertThat(node.kubectl("-n", NS, "logs", "job/lakehouse-restore")
                        .assertOk()
                        .out())
                .contains("restored");
        apply("catalog.yaml");
        waitFor("icebergcatalog/lakehouse", "condition=Ready");
        figures.put("restore: Job to restored catalog Ready (s)", seconds(start));

        assertThat(client("lakehouse", "tables"))
                .as("every table at its metadata location before the backup")
                .isEqualTo(tablesBeforeBackup);
        JsonNode counted = client("lakehouse", "count", "sales", "orders");
        assertThat(counted.get("rows").asInt()).isEqualTo(100);
    }

    /** {@code helm upgrade} with a changed value rolls the operator, not the catalogs (their rendered pods are the same). */
    @Test
    @Order(14)
    void helmUpgradeRollsTheOperatorButNoCatalog() {
        Map<String, List<String>> before =
                Map.of("lakehouse", catalogPodStates("lakehouse"), "shared", catalogPodStates("shared"));
        String operatorGeneration = jsonpath("floe-system", "deployment/floe-operator", "{.metadata.generation}");
        long start = System.nanoTime();
        helm.run(
                        "upgrade",
                        "floe-operator",
                        "charts/floe-operator",
                        "--namespace",
                        "floe-system",
                        "--set",
                        "logFormat=text")
                .assertOk();
        assertThat(jsonpath("floe-system", "deployment/floe-operator", "{.metadata.generation}"))
                .as("the upgrade changed the operator's pod template")
                .isNotEqualTo(operatorGeneration);
        node.kubectl(
                        WAIT,
                        null,
                        "-n",
                        "floe-system",
                        "rollout",
                        "status",
                        "deployment/floe-operator",
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
        awaitValue(() -> operatorPods().contains(leader()) ? "leading" : null);
        figures.put("helm upgrade to operator rolled out and leading (s)", seconds(start));

        requestRotationAndAwaitJob("lakehouse");
        requestRotationAndAwaitJob("shared");
        before.forEach((catalog, pods) -> assertThat(catalogPodStates(catalog))
                .as("%s's pods after helm upgrade", catalog)
                .isEqualTo(pods));
        assertThat(client("lakehouse", "tables")).isEqualTo(tablesBeforeBackup);
    }

    /** floe.dev/rotate-now on a catalog, then its Job completes: proof that the leading operator reconciles it. */
    private void requestRotationAndAwaitJob(String catalog) {
        String selector = "floe.dev/catalog=" + catalog + ",floe.dev/rotation=manual";
        int before = lines(node.kubectl("-n", NS, "get", "jobs", "-l", selector, "-o", "name")
                        .assertOk()
                        .out())
                .size();
        node.kubectl(
                        "-n",
                        NS,
                        "annotate",
                        "--overwrite",
                        "icebergcatalog/" + catalog,
                        "floe.dev/rotate-now=" + System.currentTimeMillis())
                .assertOk();
        awaitValue(() -> lines(node.kubectl("-n", NS, "get", "jobs", "-l", selector, "-o", "name")
                                        .assertOk()
                                        .out())
                                .size()
                        > before
                ? "created"
                : null);
        node.kubectl(
                        WAIT.plusSeconds(10),
                        null,
                        "-n",
                        NS,
                        "wait",
                        "job",
                        "-l",
                        selector,
                        "--for=condition=Complete",
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
    }

    private List<String> operatorPods() {
        return lines(node.kubectl(
                        "-n",
                        "floe-system",
                        "get",
                        "pods",
                        "-l",
                        "app.kubernetes.io/name=floe-operator",
                        "--field-selector=status.phase=Running",
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name}{'\\n'}{end}")
                .assertOk()
                .out());
    }

    private String leader() {
        return jsonpath("floe-system", "lease/floe-operator-leader", "{.spec.holderIdentity}");
    }

    /** "uid restartCount" of each catalog pod (any phase), sorted. */
    private List<String> catalogPodStates(String catalog) {
        return lines(node.kubectl(
                                "-n",
                                NS,
                                "get",
                                "pods",
                                "-l",
                                "app.kubernetes.io/instance=" + catalog + ",app.kubernetes.io/name=floe-catalog",
                                "-o",
                                "jsonpath={range .items[*]}{.metadata.uid} {.status.containerStatuses[0].restartCount}{'\\n'}{end}")
                        .assertOk()
                        .out())
                .stream()
                .sorted()
                .toList();
    }

    /** The serial number of the certificate in a TLS Secret. */
    private BigInteger secretSerial(String secret) {
        byte[] pem = Base64.getDecoder().decode(jsonpath("secret/" + secret, "{.data.tls\\.crt}"));
        try {
            X509Certificate leaf = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
            return leaf.getSerialNumber();
        } catch (CertificateException e) {
            throw new AssertionError("secret " + secret + " holds no certificate", e);
        }
    }

    /** The serial number of the certificate the catalog serves on a new connection through its Service. */
    private BigInteger servedSerial(String catalog) {
        return new BigInteger(client(catalog, "cert").get("serial").asText(), 16);
    }

    /** The client's load loop in its pod, running in the background until {@link LoadLoop#stop()}. */
    private LoadLoop startLoadLoop(String catalog, String table) throws IOException {
        String stopFile = "/tmp/stop-" + System.nanoTime();
        Path output = Files.createTempFile("load-loop", ".json");
        Process loop = node.kubectlInBackground(
                output,
                "-n",
                NS,
                "exec",
                "client-" + catalog,
                "--",
                "python3",
                "/scripts/client.py",
                "load-loop",
                stopFile,
                table);
        awaitValue(() -> read(output).contains("started") ? "running" : null);
        return new LoadLoop(catalog, stopFile, output, loop);
    }

    private final class LoadLoop {
        private final String catalog;
        private final String stopFile;
        private final Path output;
        private final Process process;

        LoadLoop(String catalog, String stopFile, Path output, Process process) {
            this.catalog = catalog;
            this.stopFile = stopFile;
            this.output = output;
            this.process = process;
        }

        /** Stops the loop and returns its JSON summary. */
        JsonNode stop() throws Exception {
            node.kubectl("-n", NS, "exec", "client-" + catalog, "--", "touch", stopFile)
                    .assertOk();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String printed = Files.readString(output);
            try {
                return JSON.readTree(
                        printed.substring(printed.lastIndexOf("\n{") + 1).trim());
            } catch (IOException e) {
                throw new AssertionError("the load loop printed no summary: " + printed, e);
            }
        }
    }

    /** Runs the client's load loop while a resources change rolls the catalog's pods. */
    private JsonNode rollUnderLoad(String catalog, String table) throws Exception {
        LoadLoop loop = startLoadLoop(catalog, table);
        String generation = jsonpath("deployment/" + catalog, "{.metadata.generation}");
        node.kubectl(
                        "-n",
                        NS,
                        "patch",
                        "icebergcatalog/" + catalog,
                        "--type=merge",
                        "-p",
                        "{\"spec\":{\"resources\":{\"requests\":{\"cpu\":\"" + (50 + System.nanoTime() % 50)
                                + "m\"}}}}")
                .assertOk();
        long start = System.nanoTime();
        awaitValue(
                () -> generation.equals(jsonpath("deployment/" + catalog, "{.metadata.generation}")) ? null : "rolled");
        node.kubectl(
                        WAIT,
                        null,
                        "-n",
                        NS,
                        "rollout",
                        "status",
                        "deployment/" + catalog,
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
        waitFor("icebergcatalog/" + catalog, "condition=Ready");
        figures.put(catalog + " rollout duration (s)", seconds(start));
        return loop.stop();
    }

    private void startClient(String catalog) {
        apply("client.yaml", Map.of("CATALOG", catalog));
        waitFor("pod/client-" + catalog, "condition=Ready");
    }

    private JsonNode client(String catalog, String... args) {
        List<String> command =
                new ArrayList<>(List.of("-n", NS, "exec", "client-" + catalog, "--", "python3", "/scripts/client.py"));
        command.addAll(Arrays.asList(args));
        KubeTools.Run run = node.kubectl(Duration.ofMinutes(3), null, command.toArray(String[]::new))
                .assertOk();
        List<String> out = lines(run.out());
        try {
            return JSON.readTree(out.get(out.size() - 1));
        } catch (IOException e) {
            throw new AssertionError("client printed no JSON: " + run.out() + run.err(), e);
        }
    }

    private static List<String> activeKeys(JsonNode keys) {
        List<String> active = new ArrayList<>();
        keys.findParents("state").forEach(k -> {
            if ("ACTIVE".equalsIgnoreCase(k.get("state").asText())) {
                active.add(k.toString());
            }
        });
        assertThat(active).as("active data keys in %s", keys).isNotEmpty();
        return active;
    }

    private List<String> catalogPods(String catalog) {
        return lines(node.kubectl(
                        "-n",
                        NS,
                        "get",
                        "pods",
                        "-l",
                        "app.kubernetes.io/instance=" + catalog + ",app.kubernetes.io/name=floe-catalog",
                        "--field-selector=status.phase=Running",
                        "-o",
                        "jsonpath={range .items[*]}{.metadata.name}{'\\n'}{end}")
                .assertOk()
                .out());
    }

    private void apply(String resource) {
        apply(resource, Map.of());
    }

    private void apply(String resource, Map<String, String> extra) {
        Map<String, String> vars = new LinkedHashMap<>(images.variables());
        vars.put("NAMESPACE", NS);
        vars.putAll(extra);
        String yaml;
        try (InputStream in = resource(resource)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (var v : vars.entrySet()) {
            yaml = yaml.replace("${" + v.getKey() + "}", v.getValue());
        }
        assertThat(yaml).as("unresolved variables in %s", resource).doesNotContain("${");
        node.kubectlWithInput(yaml, "-n", NS, "apply", "-f", "-").assertOk();
    }

    private void waitFor(String object, String condition) {
        node.kubectl(
                        WAIT.plusSeconds(10),
                        null,
                        "-n",
                        NS,
                        "wait",
                        object,
                        "--for=" + condition,
                        "--timeout=" + WAIT.toSeconds() + "s")
                .assertOk();
    }

    private String jsonpath(String object, String path) {
        return jsonpath(NS, object, path);
    }

    private String jsonpath(String namespace, String object, String path) {
        return node.kubectl("-n", namespace, "get", object, "-o", "jsonpath=" + path)
                .assertOk()
                .out()
                .trim();
    }

    private static <T> T awaitValue(java.util.function.Supplier<T> probe) {
        return org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(probe::get, java.util.Objects::nonNull);
    }

    private static InputStream resource(String name) {
        InputStream in = PlatformTeamE2EIT.class.getResourceAsStream("/e2e/" + name);
        if (in == null) {
            throw new IllegalStateException("no test resource e2e/" + name);
        }
        return in;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }
}
