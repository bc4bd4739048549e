package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A warehouse on a real S3 API server (s3proxy), configured the way the operator configures a
 * catalog pod: the built {@code floe.jar} reads {@code [warehouse] s3_endpoint}, {@code s3_region}
 * and {@code s3_path_style_access} from its TOML file and its S3 keys from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}. The endpoint is
 * {@code http://localhost:<port>}: path-style requests go to {@code localhost/<bucket>/<key>}, while
 * virtual-host addressing would send them to {@code <bucket>.localhost}, which does not resolve
 * here, as {@code <bucket>.<service>.<namespace>.svc} does not in a cluster.
 */
class S3WarehouseIT {

    private static final String BUCKET = "floe-warehouse";
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "note", Types.StringType.get()));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static S3Client s3Client;

    @BeforeAll
    static void startS3() {
        s3 = new S3ProxyServer(dir.resolve("s3-data"), dir).start();
        s3Client = s3.client();
        s3Client.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() {
        if (s3Client != null) {
            s3Client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void createsATableWhoseMetadataLandsInTheBucketThroughAPathStyleLocalhostEndpoint() throws Exception {
        try (FloeJar floe = FloeJar.start(dir.resolve("path-style"), warehouseToml("tenant-a", true));
                RESTCatalog client = floe.client()) {
            TableIdentifier id = TableIdentifier.of("sales", "orders");
            client.createNamespace(Namespace.of("sales"));
            Table table = client.createTable(id, SCHEMA);

            assertThat(table.location()).startsWith("s3://" + BUCKET + "/tenant-a/");
            String metadata =
                    ((HasTableOperations) table).operations().current().metadataFileLocation();
            assertThat(metadata).startsWith("s3://" + BUCKET + "/tenant-a/").endsWith(".metadata.json");
            String key = metadata.substring(("s3://" + BUCKET + "/").length());
            assertThat(keys("tenant-a/")).contains(key);
            String stored =
                    s3Client.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
            assertThat(JSON.readTree(stored).get("table-uuid").asText())
                    .isEqualTo(table.uuid().toString());

            // A second commit reads the current metadata back from the bucket and writes the next file.
            client.loadTable(id).updateProperties().set("owner", "s3-it").commit();
            assertThat(keys("tenant-a/"))
                    .filteredOn(k -> k.endsWith(".metadata.json"))
                    .hasSize(2);
            assertThat(client.loadTable(id).properties()).containsEntry("owner", "s3-it");

            assertThat(floe.log()).doesNotContain(S3ProxyServer.SECRET_KEY);
        }
    }

    @Test
    void readsItsS3KeysFromACredentialsDirectoryWithNoKeysInTheEnvironment() throws Exception {
        // The operator's layout: the warehouse credentials Secret mounted as files, named by
        // [warehouse] credentials_dir; nothing AWS_* in the environment.
        Path creds = Files.createDirectories(dir.resolve("s3-credentials"));
        Files.writeString(creds.resolve("AWS_ACCESS_KEY_ID"), S3ProxyServer.ACCESS_KEY + "\n");
        Files.writeString(creds.resolve("AWS_SECRET_ACCESS_KEY"), S3ProxyServer.SECRET_KEY + "\n");
        String toml = warehouseToml("tenant-c", true) + "credentials_dir = \"" + creds + "\"\n";
        try (FloeJar floe = FloeJar.start(dir.resolve("key-files"), toml, false);
                RESTCatalog client = floe.client()) {
            client.createNamespace(Namespace.of("sales"));
            Table table = client.createTable(TableIdentifier.of("sales", "orders"), SCHEMA);
            assertThat(table.location()).startsWith("s3://" + BUCKET + "/tenant-c/");
            assertThat(keys("tenant-c/")).anyMatch(k -> k.endsWith(".metadata.json"));
            assertThat(floe.log()).doesNotContain(S3ProxyServer.SECRET_KEY);
        }
    }

    @Test
    void virtualHostAddressingCannotReachTheBucketBehindALocalhostEndpoint() throws Exception {
        try (FloeJar floe = FloeJar.start(dir.resolve("virtual-host"), warehouseToml("tenant-b", false));
                RESTCatalog client = floe.client()) {
            client.createNamespace(Namespace.of("sales"));
            assertThatThrownBy(() -> client.createTable(TableIdentifier.of("sales", "orders"), SCHEMA))
                    .isInstanceOf(ServiceFailureException.class);
            assertThat(keys("tenant-b/")).isEmpty();
            assertThat(floe.log())
                    .contains("UnknownHostException: " + BUCKET + ".localhost")
                    .doesNotContain(S3ProxyServer.SECRET_KEY);
        }
    }

    private static String warehouseToml(String prefix, boolean pathStyle) {
        return """
                [warehouse]
                location = "s3://%s/%s"
                s3_endpoint = "http://localhost:%d"
                s3_region = "us-east-1"
                s3_path_style_access = %s
                """.formatted(BUCKET, prefix, s3.port(), pathStyle);
    }

    private static List<String> keys(String prefix) {
        return s3Client.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    /**
     * {@code floe.jar serve --dev --config floe.toml} in its own directory, with the S3 keys in its
     * environment and no other AWS settings (no instance-metadata lookups, no profile files).
     */
    private record FloeJar(Process process, URI uri, Path workDir) implements AutoCloseable {

        static FloeJar start(Path workDir, String toml) throws Exception {
            return start(workDir, toml, true);
        }

        /** With {@code keysInEnvironment} false, the S3 keys must come from the TOML's credentials_dir. */
        static FloeJar start(Path workDir, String toml, boolean keysInEnvironment) throws Exception {
            Files.createDirectories(workDir);
            Path config = Files.writeString(workDir.resolve("floe.toml"), toml);
            int port = ExternalServer.freePort();
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            ExternalServer.repoRoot()
                                    .resolve("catalog/target/floe.jar")
                                    .toString(),
                            "serve",
                            "--dev",
                            "--config",
                            config.toString(),
                            "--port",
                            Integer.toString(port))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("serve.log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FLOE_"));
            if (keysInEnvironment) {
                env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
                env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
            }
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_CONFIG_FILE", workDir.resolve("no-aws-config").toString());
            env.put(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    workDir.resolve("no-aws-credentials").toString());
            FloeJar floe = new FloeJar(builder.start(), URI.create("http://127.0.0.1:" + port), workDir);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!floe.process.isAlive()) {
                            throw new IllegalStateException("floe serve exited:\n" + floe.log());
                        }
                        try {
                            return http.send(
                                                    HttpRequest.newBuilder(floe.uri.resolve("/health/readiness"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            return floe;
        }

        RESTCatalog client() throws IOException {
            RESTCatalog catalog = new RESTCatalog();
            catalog.initialize(
                    "s3-it",
                    Map.of(
                            CatalogProperties.URI,
                            uri.toString(),
                            "token",
                            Files.readString(workDir.resolve(".floe/dev-admin.key"))
                                    .strip()));
            return catalog;
        }

        String log() throws IOException {
            return Files.readString(workDir.resolve("serve.log"));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
