package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.testing.ClientAppend;
import dev.floe.catalog.testing.DevCatalogProcess;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.testing.MotoS3Sts;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Credential vending end to end: the built {@code floe.jar} serving an {@code s3://} warehouse on
 * moto's S3 with {@code s3_vending_role_arn} set, its own IAM user key in its environment, API keys
 * with the reader and writer roles, and real HTTP. What a vended credential can do is decided by
 * the S3 server (IAM evaluation of the role and session policy, see {@link MotoS3StsEnforcementIT}),
 * so these tests fail if the catalog stops scoping what it vends.
 */
class S3CredentialVendingIT {

    private static final String BUCKET = "warehouse";
    private static final String ROOT = "s3://" + BUCKET + "/tenant";
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;
    private static DevCatalogProcess floe;
    private static URI uri;
    private static String adminKey;
    private static String writerKey;
    private static String readerKey;
    private static S3Client catalogS3;

    @BeforeAll
    static void start() throws Exception {
        moto = new MotoS3Sts(dir.resolve("moto"), BUCKET).start();
        catalogS3 = moto.client(moto.catalogCredentials());
        floe = DevCatalogProcess.start(
                dir.resolve("floe"), """
                [warehouse]
                location = "%1$s"
                s3_endpoint = "%2$s"
                s3_region = "us-east-1"
                s3_path_style_access = true
                s3_vending_role_arn = "%3$s"
                s3_vending_lifetime_seconds = 900
                s3_sts_endpoint = "%2$s"
                """.formatted(ROOT, moto.endpoint(), moto.roleArn()), moto.catalogCredentials());
        uri = floe.uri();
        adminKey = floe.adminKey();
        writerKey = floe.createKey("writer");
        readerKey = floe.createKey("reader");
        try (RESTCatalog admin = client(adminKey, false)) {
            admin.createNamespace(Namespace.of("sales"));
            admin.createTable(TableIdentifier.of("sales", "a"), SCHEMA);
            admin.createTable(TableIdentifier.of("sales", "b"), SCHEMA);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (floe != null) {
            floe.close();
        }
        if (catalogS3 != null) {
            catalogS3.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void writerCredentialsReachTheirTableAndNotAnother() throws Exception {
        JsonNode load = loadTable("a", writerKey, true);
        try (S3Client vended = s3(load)) {
            String own = key(load.get("metadata-location").asText());
            assertThat(vended.getObjectAsBytes(b -> b.bucket(BUCKET).key(own)).asUtf8String())
                    .contains("table-uuid");
            vended.putObject(b -> b.bucket(BUCKET).key("tenant/sales/a/data/w.txt"), RequestBody.fromString("w"));
            vended.deleteObject(b -> b.bucket(BUCKET).key("tenant/sales/a/data/w.txt"));
            assertThat(vended.listObjectsV2(b -> b.bucket(BUCKET).prefix("tenant/sales/a/"))
                            .contents())
                    .isNotEmpty();

            String other =
                    key(loadTable("b", adminKey, false).get("metadata-location").asText());
            assertDenied(() -> vended.getObjectAsBytes(b -> b.bucket(BUCKET).key(other)));
            assertDenied(() -> vended.putObject(
                    b -> b.bucket(BUCKET).key("tenant/sales/b/data/x.txt"), RequestBody.fromString("x")));
            assertDenied(() -> vended.deleteObject(b -> b.bucket(BUCKET).key(other)));
            assertDenied(() -> vended.listObjectsV2(b -> b.bucket(BUCKET).prefix("tenant/sales/b/")));
            // a sibling whose name starts like the table's: the prefix ends at a path segment
            assertDenied(() ->
                    vended.putObject(b -> b.bucket(BUCKET).key("tenant/sales/ab/x.txt"), RequestBody.fromString("x")));
        }
    }

    @Test
    void readerCredentialsCannotWrite() throws Exception {
        JsonNode load = loadTable("a", readerKey, true);
        try (S3Client vended = s3(load)) {
            String own = key(load.get("metadata-location").asText());
            assertThat(vended.getObjectAsBytes(b -> b.bucket(BUCKET).key(own)).asUtf8String())
                    .contains("table-uuid");
            assertDenied(() -> vended.putObject(
                    b -> b.bucket(BUCKET).key("tenant/sales/a/data/r.txt"), RequestBody.fromString("r")));
            assertDenied(() -> vended.deleteObject(b -> b.bucket(BUCKET).key(own)));
        }
    }

    @Test
    void expiredCredentialsAreRefused() throws Exception {
        JsonNode load = loadTable("a", writerKey, true);
        try (S3Client vended = s3(load)) {
            String own = key(load.get("metadata-location").asText());
            vended.headObject(b -> b.bucket(BUCKET).key(own));
            moto.advanceClock(Duration.ofSeconds(901));
            try {
                assertThatThrownBy(() ->
                                vended.getObjectAsBytes(b -> b.bucket(BUCKET).key(own)))
                        .isInstanceOfSatisfying(
                                S3Exception.class,
                                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
            } finally {
                moto.advanceClock(Duration.ZERO);
            }
        }
    }

    @Test
    void responsesCarryOneCredentialForTheTableAndTheRefreshEndpoint() throws Exception {
        JsonNode load = loadTable("a", writerKey, true);
        JsonNode credentials = load.get("storage-credentials");
        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).get("prefix").asText()).isEqualTo(ROOT + "/sales/a");
        assertThat(credentials.get(0).get("config").get("s3.session-token").asText())
                .isNotEmpty();
        assertThat(load.get("config").get("client.refresh-credentials-endpoint").asText())
                .isEqualTo("v1/default/namespaces/sales/tables/a/credentials");
        assertThat(load.get("config").get("s3.endpoint").asText())
                .isEqualTo(moto.endpoint().toString());
        // credentials are not part of the shared config, only of the table's storage credential
        assertThat(load.get("config").has("s3.secret-access-key")).isFalse();

        JsonNode refreshed = getJson("/v1/default/namespaces/sales/tables/a/credentials", readerKey, false);
        assertThat(refreshed.get("storage-credentials")).hasSize(1);
        assertThat(refreshed.get("storage-credentials").get(0).get("prefix").asText())
                .isEqualTo(ROOT + "/sales/a");

        // without the header nothing is vended, and the load is the cached, tagged response
        HttpResponse<String> plain = get("/v1/default/namespaces/sales/tables/a", writerKey, false);
        assertThat(STRICT_JSON.readTree(plain.body()).has("storage-credentials"))
                .isFalse();
        assertThat(plain.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void loadsReuseCachedCredentialsSoStsIsCalledOnlyOnRefresh() throws Exception {
        loadTable("b", readerKey, true); // first use of (b, read): one STS call at most
        double before = stsCalls();
        String firstKey = null;
        for (int i = 0; i < 200; i++) {
            JsonNode load = loadTable("b", readerKey, true);
            String keyId = load.get("storage-credentials")
                    .get(0)
                    .get("config")
                    .get("s3.access-key-id")
                    .asText();
            if (firstKey == null) {
                firstKey = keyId;
            }
            assertThat(keyId).isEqualTo(firstKey);
        }
        assertThat(stsCalls()).isEqualTo(before);
    }

    @Test
    void badDelegationHeaderIsAnIcebergError() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri.resolve("/v1/default/namespaces/sales/tables/a"))
                        .header("Authorization", "Bearer " + writerKey)
                        .header("X-Iceberg-Access-Delegation", "everything")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(STRICT_JSON
                        .readTree(response.body())
                        .get("error")
                        .get("type")
                        .asText())
                .isEqualTo("BadRequestException");
    }

    @Test
    void icebergJavaClientWritesAndReadsWithOnlyVendedCredentials() throws Exception {
        assertThat(System.getenv("AWS_ACCESS_KEY_ID"))
                .as("the test JVM must hold no S3 keys")
                .isNull();
        assertThat(System.getProperty("aws.accessKeyId")).isNull();
        try (RESTCatalog writer = client(writerKey, true)) {
            TableIdentifier id = TableIdentifier.of("sales", "java_client");
            Table table = writer.createTable(id, SCHEMA);
            // write, append, scan and read back through the table's FileIO, i.e. with the credentials vended on create
            ClientAppend appended = ClientAppend.run(writer, id, table);
            Table loaded = appended.loaded();
            // the same FileIO cannot write another table's files
            assertThatThrownBy(() -> {
                        try (OutputStream stream = loaded.io()
                                .newOutputFile(ROOT + "/sales/b/data/intruder.bin")
                                .create()) {
                            stream.write(1);
                        }
                    })
                    .hasMessageContaining("403");

            loaded.updateSchema().addColumn("note", Types.StringType.get()).commit();
            assertThat(writer.loadTable(id).schema().findField("note")).isNotNull();
            assertThat(objects("tenant/sales/java_client/")).isNotEmpty();
            assertThat(writer.dropTable(id, true)).isTrue();
            assertThat(objects("tenant/sales/java_client/")).isEmpty();
        }
    }

    private static List<String> objects(String prefix) {
        return catalogS3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key)
                .toList();
    }

    @Test
    void pyIcebergCreatesAppendsAndScansWithOnlyVendedCredentials() throws Exception {
        Path python = ExternalServer.runTool("tools/clients/install.sh");
        Map<String, String> env = new HashMap<>(Map.of(
                "FLOE_URI",
                uri.toString(),
                "FLOE_TOKEN",
                writerKey,
                "FLOE_NAMESPACE",
                "sales",
                "FLOE_TABLE",
                "py_client"));
        Path log = dir.resolve("pyiceberg.log");
        ProcessBuilder builder = new ProcessBuilder(
                        python.toString(),
                        ExternalServer.repoRoot()
                                .resolve("tools/clients/pyiceberg_vended_check.py")
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log);
        assertThat(process.exitValue()).as(out).isZero();
        String line = out.lines()
                .filter(l -> l.startsWith("RESULT "))
                .reduce((a, b) -> b)
                .orElseThrow();
        JsonNode result = STRICT_JSON.readTree(line.substring("RESULT ".length()));
        assertThat(result.get("rows").asInt()).isEqualTo(4);
        assertThat(result.get("ids").toString()).isEqualTo("[1,2,3,4]");
        assertThat(result.get("location").asText()).isEqualTo(ROOT + "/sales/py_client");
        assertThat(result.get("columns").toString()).isEqualTo("[\"id\",\"kind\",\"note\"]");
        assertThat(result.get("data_files"))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.asText()).startsWith(ROOT + "/sales/py_client/data/"));
        // purged by the catalog with its own credentials: data, manifests and metadata are gone
        assertThat(result.get("exists_after_purge").asBoolean()).isFalse();
        assertThat(objects("tenant/sales/py_client/")).isEmpty();
    }

    @Test
    void credentialsReachNoLogOrMetric() throws Exception {
        JsonNode load = loadTable("a", writerKey, true);
        JsonNode config = load.get("storage-credentials").get(0).get("config");
        String metrics = get("/metrics", adminKey, false).body();
        for (String secret : List.of(
                config.get("s3.secret-access-key").asText(),
                config.get("s3.session-token").asText())) {
            assertThat(serveLog()).doesNotContain(secret);
            assertThat(metrics).doesNotContain(secret);
        }
        assertThat(serveLog()).doesNotContain(moto.catalogCredentials().secretAccessKey());
    }

    // ---- helpers

    private static RESTCatalog client(String token, boolean vended) {
        Map<String, String> properties = new HashMap<>(Map.of(CatalogProperties.URI, uri.toString(), "token", token));
        if (vended) {
            properties.put("header.X-Iceberg-Access-Delegation", "vended-credentials");
        }
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize("vending-it", properties);
        return catalog;
    }

    private static HttpResponse<String> get(String path, String token, boolean vended) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri.resolve(path)).header("Authorization", "Bearer " + token);
        if (vended) {
            request.header("X-Iceberg-Access-Delegation", "vended-credentials");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    /** Parsed with duplicate-member detection: the credentials are added to a serialized response. */
    private static JsonNode getJson(String path, String token, boolean vended) throws Exception {
        return STRICT_JSON.readTree(get(path, token, vended).body());
    }

    private static JsonNode loadTable(String table, String token, boolean vended) throws Exception {
        return getJson("/v1/default/namespaces/sales/tables/" + table, token, vended);
    }

    private static S3Client s3(JsonNode load) {
        JsonNode c = load.get("storage-credentials").get(0).get("config");
        return moto.client(
                c.get("s3.access-key-id").asText(),
                c.get("s3.secret-access-key").asText(),
                c.get("s3.session-token").asText());
    }

    private static String key(String location) {
        return location.substring(("s3://" + BUCKET + "/").length());
    }

    private static double stsCalls() throws Exception {
        String metrics = get("/metrics", adminKey, false).body();
        Matcher m = Pattern.compile("(?m)^floe_vending_sts_calls_total\\{[^}]*result=\"success\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String serveLog() {
        return floe.log();
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
}
