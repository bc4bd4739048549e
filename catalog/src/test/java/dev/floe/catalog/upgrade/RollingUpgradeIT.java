package dev.floe.catalog.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.catalog.security.ApiKeyCredential;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.tls.CertificateGenerator;
import dev.floe.catalog.tls.PemFiles;
import dev.floe.catalog.tls.TlsMaterial;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading a two-replica PostgreSQL catalog from the previous release, as Kubernetes rolls a
 * Deployment: the previous release's {@code floe.jar} (commit {@link #PREVIOUS_COMMIT}, before
 * migration V2__object_locations; built once and cached by tools/upgrade/build-previous-catalog.sh)
 * and this build's, as real processes on one embedded PostgreSQL, over TLS with API-key
 * authentication. Clients using Iceberg's own REST client load, commit and create throughout; a
 * replica leaves the client's endpoints before it is stopped (as a terminating pod leaves its
 * Service) and joins once ready.
 */
class RollingUpgradeIT {

    static final String PREVIOUS_COMMIT = "7abba99";
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final int CLIENTS = 2;

    private static EmbeddedPostgresServer postgres;

    @TempDir
    Path dir;

    private String storage;
    private Map<String, String> env;
    private HttpClient https;
    private String adminToken;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    /** The TOML, TLS files and environment an operator-rendered catalog pod has. */
    @BeforeEach
    void catalogFiles() throws Exception {
        storage = postgres.newDatabase();
        CertificateGenerator.generate(new CertificateGenerator.Request(
                        "localhost", List.of("127.0.0.1"), Duration.ofDays(1), CertificateGenerator.KeyType.EC))
                .writeTo(dir.resolve("tls"));
        Files.createDirectories(dir.resolve("warehouse"));
        Files.writeString(
                dir.resolve("floe.toml"),
                String.join(
                        "\n",
                        "[server]",
                        "host = \"127.0.0.1\"",
                        "[storage]",
                        "url = \"" + StorageUrl.parse(storage).jdbcUrl() + "\"",
                        "[warehouse]",
                        "location = \"" + dir.resolve("warehouse").toUri() + "\"",
                        "[kms]",
                        "provider = \"local\"",
                        "key_env_var = \"FLOE_KMS_LOCAL_KEY\"",
                        "key_id = \"upgrade-test\"",
                        ""));
        adminToken = ApiKeyCredential.generate().token();
        Path adminKey = Files.writeString(dir.resolve("admin.key"), adminToken);
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        env = Map.of(
                "FLOE_KMS_LOCAL_KEY",
                Base64.getEncoder().encodeToString(masterKey),
                "FLOE_BOOTSTRAP_ADMIN_KEY_FILE",
                adminKey.toString(),
                "FLOE_STORAGE_USERNAME",
                "postgres",
                "FLOE_STORAGE_PASSWORD",
                "postgres");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TlsMaterial.trustStore(PemFiles.readCertificates(dir.resolve("tls/ca.crt"))));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        https = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void rollingUpgradeFromThePreviousReleaseFailsNoClientRequestAndKeepsEveryTable() throws Exception {
        Path previous = previousJar();
        Path current = currentJar();
        Endpoints endpoints = new Endpoints();
        List<CatalogProcess> processes = new ArrayList<>();
        try {
            // old A and old B serve; the first one creates the schema of the previous release
            CatalogProcess oldA = started(processes, "A-old", previous).awaitReady(https);
            CatalogProcess oldB = started(processes, "B-old", previous).awaitReady(https);
            endpoints.add(oldA);
            endpoints.add(oldB);
            assertThat(appliedMigrations()).doesNotContain("2", "3");

            Clients clients = new Clients(endpoints);
            clients.start();
            clients.awaitOps("A-old", 20);
            clients.awaitOps("B-old", 20);

            // B is replaced by this build: it migrates the shared schema while old A serves on
            endpoints.remove(oldB);
            oldB.close();
            CatalogProcess newB = started(processes, "B-new", current).awaitReady(https);
            assertThat(appliedMigrations()).contains("2", "3");
            assertThat(newB.log()).contains("Migrating schema \"public\" to version \"2 - object locations\"");
            int oldAOpsBeforeMigration = clients.ops("A-old");
            endpoints.add(newB);
            clients.awaitOps("B-new", 30);
            clients.awaitOps("A-old", oldAOpsBeforeMigration + 30); // the old code on the migrated schema

            // A is replaced by this build
            endpoints.remove(oldA);
            oldA.close();
            CatalogProcess newA = started(processes, "A-new", current).awaitReady(https);
            endpoints.add(newA);
            clients.awaitOps("A-new", 30);
            clients.awaitOps("B-new", clients.ops("B-new") + 30);
            clients.stop();

            assertThat(clients.failures).as("failed client requests").isEmpty();
            assertThat(clients.created.get())
                    .as("tables created during the upgrade")
                    .isGreaterThan(CLIENTS);
            assertThat(clients.committed.get()).as("commits during the upgrade").isGreaterThan(10);
            for (CatalogProcess replica : List.of(newA, newB)) {
                try (RESTCatalog client = client(replica)) {
                    clients.expected.forEach((table, location) -> assertThat(metadataLocation(client.loadTable(table)))
                            .as("%s from %s", table, replica.name())
                            .isEqualTo(location));
                }
            }
            System.out.printf(
                    "rolling upgrade %s -> this build: %d client requests (%d creates, %d commits),"
                            + " 0 failed, %d tables checked on both new replicas%n",
                    PREVIOUS_COMMIT,
                    clients.total(),
                    clients.created.get(),
                    clients.committed.get(),
                    clients.expected.size());
        } finally {
            endpoints.closeClients();
            for (CatalogProcess p : processes) {
                p.close();
            }
        }
    }

    @Test
    void aReplicaOnASchemaNewerThanItAcceptsWaitsNotReadyAndServesOnceTheSchemaIsAccepted() throws Exception {
        List<CatalogProcess> processes = new ArrayList<>();
        try {
            started(processes, "migrator", currentJar()).awaitReady(https).close();
            // what a later release's contract migration records (see V3__schema_compatibility.sql)
            sql("INSERT INTO schema_compatibility (migration, oldest_serving_level, reason)"
                    + " VALUES ('99', 2, 'drops a column this catalog reads')");

            CatalogProcess replica = CatalogProcess.start(
                    "replica",
                    currentJar(),
                    dir,
                    ExternalServer.freePort(),
                    env,
                    List.of("-Dfloe.schema.recheck-seconds=1"));
            processes.add(replica);
            String refusal = "not serving: metadata store schema is newer than this catalog accepts: migration 99 needs"
                    + " compatibility level 2 or later (drops a column this catalog reads). This catalog (compatibility"
                    + " level 1) does not serve on it";
            await().atMost(Duration.ofSeconds(120)).until(() -> count(replica.log(), refusal) >= 2);
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> replica.isAlive() && replica.readinessStatus(https) == -1);
            assertThat(replica.log()).doesNotContain("\tat ").doesNotContain("FLOE_STORAGE_PASSWORD");

            sql("DELETE FROM schema_compatibility WHERE migration = '99'");
            replica.awaitReady(https);
            try (RESTCatalog client = client(replica)) {
                assertThat(client.listNamespaces()).isEmpty();
            }
        } finally {
            for (CatalogProcess p : processes) {
                p.close();
            }
        }
    }

    private CatalogProcess started(List<CatalogProcess> processes, String name, Path jar) throws IOException {
        CatalogProcess process = CatalogProcess.start(name, jar, dir, ExternalServer.freePort(), env, List.of());
        processes.add(process);
        return process;
    }

    private RESTCatalog client(CatalogProcess replica) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, replica.uri().toString());
        properties.put("token", adminToken);
        properties.put("rest.client.tls.configurer-impl", TrustTestCa.class.getName());
        properties.put(TrustTestCa.CA_FILE, dir.resolve("tls/ca.crt").toString());
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize(replica.name(), properties);
        return catalog;
    }

    private static String metadataLocation(Table table) {
        return ((HasTableOperations) table).operations().current().metadataFileLocation();
    }

    private List<String> appliedMigrations() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection c =
                        DriverManager.getConnection(StorageUrl.parse(storage).jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private void sql(String statement) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(StorageUrl.parse(storage).jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The previous release's floe.jar, built once from git and cached (tools/upgrade/build-previous-catalog.sh). */
    private static Path previousJar() throws Exception {
        Path script = ExternalServer.repoRoot().resolve("tools/upgrade/build-previous-catalog.sh");
        Process build = new ProcessBuilder(script.toString(), PREVIOUS_COMMIT)
                .redirectErrorStream(true)
                .start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(out).isZero();
        String[] lines = out.strip().split("\n");
        Path jar = Path.of(lines[lines.length - 1].strip());
        assertThat(jar).as(out).isRegularFile();
        return jar;
    }

    private static Path currentJar() {
        Path jar = ExternalServer.repoRoot().resolve("catalog/target/floe.jar");
        assertThat(jar).as("built by the package phase").isRegularFile();
        return jar;
    }

    /** The replicas clients may use, as a Service's ready endpoints; each with its own Iceberg REST client. */
    private final class Endpoints {
        private final List<Endpoint> ready = new CopyOnWriteArrayList<>();
        private final List<RESTCatalog> clients = new CopyOnWriteArrayList<>();

        void add(CatalogProcess replica) {
            RESTCatalog client = client(replica);
            clients.add(client);
            ready.add(new Endpoint(replica, client, new AtomicInteger()));
        }

        /**
         * Takes the replica out of the endpoints and waits until the client operations already on
         * it have finished (a commit is a load and a post to the same replica), as a terminating
         * pod leaves its Service and its preStop delay lets connections drain before SIGTERM.
         */
        void remove(CatalogProcess replica) {
            List<Endpoint> leaving =
                    ready.stream().filter(e -> e.replica() == replica).toList();
            ready.removeAll(leaving);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> leaving.stream().allMatch(e -> e.inFlight().get() == 0));
        }

        /** An endpoint for one operation, counted in flight until {@link Endpoint#done()}. */
        Endpoint acquire(int i) {
            while (true) {
                List<Endpoint> snapshot = List.copyOf(ready);
                Endpoint endpoint = snapshot.get(Math.floorMod(i, snapshot.size()));
                endpoint.inFlight().incrementAndGet();
                if (ready.contains(endpoint)) {
                    return endpoint; // remove() now waits for this operation
                }
                endpoint.done(); // removed meanwhile: pick again
            }
        }

        Endpoint pick(int i) {
            List<Endpoint> snapshot = List.copyOf(ready);
            return snapshot.get(Math.floorMod(i, snapshot.size()));
        }

        void closeClients() throws IOException {
            for (RESTCatalog client : clients) {
                client.close();
            }
        }
    }

    private record Endpoint(CatalogProcess replica, RESTCatalog client, AtomicInteger inFlight) {
        void done() {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Client threads, each with its own namespace and tables, so the metadata location it last saw
     * for a table is the table's current one: create, load (which must return that location) and
     * commit, round-robin over the ready endpoints. Every exception is a failed request.
     */
    private final class Clients {
        final Map<TableIdentifier, String> expected = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger committed = new AtomicInteger();
        private final Map<String, AtomicInteger> opsByReplica = new ConcurrentHashMap<>();
        private final Endpoints endpoints;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Clients(Endpoints endpoints) {
            this.endpoints = endpoints;
        }

        void start() {
            for (int t = 0; t < CLIENTS; t++) {
                Namespace namespace = Namespace.of("client" + t);
                endpoints.pick(0).client().createNamespace(namespace);
                int clientNumber = t;
                Thread thread = new Thread(() -> run(clientNumber, namespace), "upgrade-client-" + t);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(int clientNumber, Namespace namespace) {
            List<TableIdentifier> tables = new ArrayList<>();
            for (int i = 0; !stopping.get(); i++) {
                Endpoint endpoint = endpoints.acquire(i + clientNumber);
                String operation = tables.isEmpty() || i % 10 == 0 ? "create" : i % 2 == 0 ? "load" : "commit";
                try {
                    if (operation.equals("create")) {
                        TableIdentifier id = TableIdentifier.of(namespace, "t" + tables.size());
                        Table table = endpoint.client().createTable(id, SCHEMA);
                        expected.put(id, metadataLocation(table));
                        tables.add(id);
                        created.incrementAndGet();
                    } else {
                        TableIdentifier id = tables.get(i % tables.size());
                        Table table = endpoint.client().loadTable(id);
                        if (!metadataLocation(table).equals(expected.get(id))) {
                            failures.add(endpoint.replica().name() + " load " + id + ": stale metadata location "
                                    + metadataLocation(table) + ", expected " + expected.get(id));
                        }
                        if (operation.equals("commit")) {
                            table.updateProperties()
                                    .set("round", Integer.toString(i))
                                    .commit();
                            expected.put(id, metadataLocation(table));
                            committed.incrementAndGet();
                        }
                    }
                    opsByReplica
                            .computeIfAbsent(endpoint.replica().name(), k -> new AtomicInteger())
                            .incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(endpoint.replica().name() + " " + operation + ": " + e
                            + (e.getCause() == null ? "" : " caused by " + e.getCause()));
                } finally {
                    endpoint.done();
                }
            }
        }

        int ops(String replica) {
            AtomicInteger n = opsByReplica.get(replica);
            return n == null ? 0 : n.get();
        }

        int total() {
            return opsByReplica.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void awaitOps(String replica, int atLeast) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                assertThat(failures).as("failed client requests").isEmpty();
                return ops(replica) >= atLeast;
            });
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
    }
}
