package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.testing.ClientAppend;
import dev.floe.catalog.testing.DevCatalogProcess;
import dev.floe.catalog.testing.MotoS3Sts;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 remote signing end to end: the built {@code floe.jar} serving an {@code s3://} warehouse on
 * moto's S3 with {@code s3_remote_signing = true}, its own IAM user key in its environment, API keys
 * with the reader and writer roles, and real HTTP. The engines here hold no storage keys at all:
 * moto (which checks every SigV4 signature against its IAM users) accepts their requests only
 * because the catalog signed them, so whatever the catalog refuses to sign cannot reach S3.
 */
class S3RemoteSigningIT {

    private static final String BUCKET = "warehouse";
    private static final String OTHER_BUCKET = "other";
    private static final String ROOT = "s3://" + BUCKET + "/tenant";
    private static final String SIGN_A = "/v1/default/namespaces/sales/tables/a/sign";
    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;
    private static DevCatalogProcess floe;
    private static String writerKey;
    private static String readerKey;
    private static S3Client catalogS3;
    private static String metadataOfB;

    @BeforeAll
    static void start() throws Exception {
        moto = new MotoS3Sts(dir.resolve("moto"), BUCKET, OTHER_BUCKET).start();
        catalogS3 = moto.client(moto.catalogCredentials());
        floe = DevCatalogProcess.start(
                dir.resolve("floe"), """
                [warehouse]
                location = "%s"
                s3_endpoint = "%s"
                s3_region = "us-east-1"
                s3_path_style_access = true
                s3_remote_signing = true
                """.formatted(ROOT, moto.endpoint()), moto.catalogCredentials());
        writerKey = floe.createKey("writer");
        readerKey = floe.createKey("reader");
        try (RESTCatalog admin = client(floe.adminKey(), false)) {
            admin.createNamespace(Namespace.of("sales"));
            admin.createTable(TableIdentifier.of("sales", "a"), SCHEMA);
            metadataOfB = metadataLocation(admin.createTable(TableIdentifier.of("sales", "b"), SCHEMA));
        }
        catalogS3.putObject(b -> b.bucket(OTHER_BUCKET).key("secret.txt"), RequestBody.fromString("s"));
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
    void icebergJavaClientWritesAndReadsThroughTheSignerWithoutStorageKeys() throws Exception {
        assertThat(System.getenv("AWS_ACCESS_KEY_ID"))
                .as("the test JVM must hold no S3 keys")
                .isNull();
        assertThat(System.getProperty("aws.accessKeyId")).isNull();
        try (RESTCatalog writer = client(writerKey, true)) {
            TableIdentifier id = TableIdentifier.of("sales", "java_client");
            Table table = writer.createTable(id, SCHEMA);
            assertThat(table.io().properties())
                    .containsEntry("s3.remote-signing-enabled", "true")
                    .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
            // write, append, scan and read back through the table's FileIO: every S3 request signed by the catalog
            ClientAppend appended = ClientAppend.run(writer, id, table);
            Table loaded = appended.loaded();
            assertThat(objects(BUCKET, "tenant/sales/java_client/data/")).containsExactly(key(appended.file()));

            // bulk delete (S3 DeleteObjects) of the table's own file: the body's keys are checked and signed
            String spare = table.location() + "/data/spare.bin";
            try (OutputStream stream = loaded.io().newOutputFile(spare).create()) {
                stream.write(1);
            }
            ((SupportsBulkOperations) loaded.io()).deleteFiles(List.of(spare));
            assertThat(objects(BUCKET, "tenant/sales/java_client/data/")).containsExactly(key(appended.file()));

            // the same FileIO, with no keys of its own, cannot write or delete another table's files
            assertRefusedBySigner(() -> write(loaded.io(), ROOT + "/sales/b/data/intruder.bin"));
            assertThatThrownBy(() -> ((SupportsBulkOperations) loaded.io()).deleteFiles(List.of(metadataOfB)))
                    .isInstanceOf(RuntimeException.class);
            assertThat(objects(BUCKET, "tenant/sales/b/")).contains(key(metadataOfB));
            assertThat(objects(BUCKET, "tenant/sales/b/data/")).isEmpty();

            loaded.updateSchema().addColumn("note", Types.StringType.get()).commit();
            assertThat(writer.loadTable(id).schema().findField("note")).isNotNull();
        }
    }

    @Test
    void readerReadsThroughTheSignerButCannotWrite() throws Exception {
        try (RESTCatalog reader = client(readerKey, true)) {
            Table table = reader.loadTable(TableIdentifier.of("sales", "a"));
            String metadata = metadataLocation(table);
            assertThat(new String(table.io().newInputFile(metadata).newStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("table-uuid");
            assertRefusedBySigner(() -> write(table.io(), table.location() + "/data/r.bin"));
        }
        assertThat(sign(readerKey, SIGN_A, request("GET", pathStyle(metadataOfA())))
                        .statusCode())
                .isEqualTo(200);
        assertForbidden(sign(readerKey, SIGN_A, request("PUT", pathStyle("tenant/sales/a/data/r.bin"))));
        assertForbidden(sign(readerKey, SIGN_A, request("DELETE", pathStyle(metadataOfA()))));
        assertForbidden(sign(readerKey, SIGN_A, deleteObjects("tenant/sales/a/data/r.bin")));
    }

    @Test
    void signaturesWorkOnlyForTheSignedKeyAndOtherKeysOrBucketsAreRefused() throws Exception {
        // a signed GET of the table's own metadata file is accepted by S3 (moto checks the signature)
        String own = metadataOfA();
        JsonNode signed = json(sign(writerKey, SIGN_A, request("GET", pathStyle(own))));
        assertThat(s3Get(pathStyle(own), signed.get("headers")).statusCode()).isEqualTo(200);
        // the signature covers the key: replayed for another table's file, S3 refuses it
        assertThat(s3Get(pathStyle(key(metadataOfB)), signed.get("headers")).statusCode())
                .isEqualTo(403);
        // and without a signature a client gets nothing from S3
        assertThat(s3Get(pathStyle(key(metadataOfB)), STRICT_JSON.createObjectNode())
                        .statusCode())
                .isEqualTo(403);

        // the catalog refuses to sign anything outside table a, as writer, whatever the addressing
        for (ObjectNode outside : List.of(
                request("GET", pathStyle(key(metadataOfB))),
                request("PUT", pathStyle("tenant/sales/b/data/x.bin")),
                request("PUT", pathStyle("tenant/sales/ab/x.bin")), // a sibling whose name starts like a's
                request("PUT", pathStyle("tenant/sales/a/../b/x.bin")),
                request("GET", moto.endpoint() + "/" + OTHER_BUCKET + "/secret.txt"),
                // hosts that are not the S3 endpoint (virtual-host parsing: S3RequestScopeTest)
                request("GET", "http://" + BUCKET + ".localhost:" + moto.port() + "/tenant/sales/a/x"),
                request("GET", "http://localhost:1/" + BUCKET + "/tenant/sales/a/x"),
                request("GET", pathStyle("") + "?list-type=2&prefix=tenant/sales/"),
                request("GET", pathStyle("") + "?policy"),
                request("PUT", pathStyle("tenant/sales/a/data/x.bin") + "?acl"),
                withHeader(
                        request("PUT", pathStyle("tenant/sales/a/data/copy.bin")),
                        "x-amz-copy-source",
                        "/" + BUCKET + "/tenant/sales/b/data/x.bin"),
                deleteObjects("tenant/sales/a/data/x.bin", key(metadataOfB)))) {
            assertForbidden(sign(writerKey, SIGN_A, outside));
        }
        // a listing below the table is signed
        assertThat(sign(writerKey, SIGN_A, request("GET", pathStyle("") + "?list-type=2&prefix=tenant/sales/a/"))
                        .statusCode())
                .isEqualTo(200);
        // and nobody unauthenticated gets anything signed
        assertThat(sign(null, SIGN_A, request("GET", pathStyle(own))).statusCode())
                .isEqualTo(401);
    }

    @Test
    void badSignRequestsAreIcebergErrors() throws Exception {
        String own = pathStyle(metadataOfA());
        for (String body : List.of(
                "",
                "not json",
                "[]",
                "{}",
                "{\"region\":\"us-east-1\",\"method\":\"GET\",\"headers\":{}}",
                "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"::\",\"headers\":{}}",
                "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"s3://warehouse/x\",\"headers\":{}}",
                "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"" + own + "\",\"headers\":{\"a\":\"b\"}}",
                "{\"region\":\"us east\",\"method\":\"GET\",\"uri\":\"" + own + "\",\"headers\":{}}",
                "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"" + own
                        + "\",\"headers\":{},\"provider\":\"gcs\"}",
                "{\"region\":\"us-east-1\",\"method\":\"POST\",\"uri\":\"" + pathStyle("")
                        + "?delete\",\"headers\":{}}",
                "{\"region\":\"us-east-1\",\"method\":\"POST\",\"uri\":\"" + pathStyle("")
                        + "?delete\",\"headers\":{},\"body\":\"<Delete><Object>\"}")) {
            HttpResponse<String> response = sign(writerKey, SIGN_A, body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            JsonNode error = STRICT_JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(400);
            assertThat(error.get("type").asText()).isEqualTo("BadRequestException");
        }
        // an unknown table is a 404, as for every table route
        HttpResponse<String> missing = sign(
                writerKey,
                "/v1/default/namespaces/sales/tables/nope/sign",
                request("GET", own).toString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void loadAnswersTheSigningSettingsAndNoKeys() throws Exception {
        JsonNode load = STRICT_JSON.readTree(loadTable("a", writerKey, "remote-signing"));
        JsonNode config = load.get("config");
        assertThat(config.get("s3.remote-signing-enabled").asText()).isEqualTo("true");
        assertThat(config.get("signer.endpoint").asText()).isEqualTo(SIGN_A.substring(1));
        assertThat(config.get("s3.signer.endpoint").asText()).isEqualTo(SIGN_A.substring(1));
        assertThat(config.get("s3.endpoint").asText()).isEqualTo(moto.endpoint().toString());
        assertThat(config.has("s3.access-key-id")).isFalse();
        assertThat(config.has("s3.secret-access-key")).isFalse();
        assertThat(load.has("storage-credentials")).isFalse();
        // without the header (or with vended credentials, which this catalog does not offer) nothing is added
        assertThat(STRICT_JSON.readTree(loadTable("a", writerKey, null)).has("config"))
                .isFalse();
        assertThat(STRICT_JSON
                        .readTree(loadTable("a", writerKey, "vended-credentials"))
                        .has("config"))
                .isFalse();
        // and the sign endpoint is among those /v1/config lists
        HttpResponse<String> catalogConfig = HTTP.send(
                HttpRequest.newBuilder(floe.uri().resolve("/v1/config"))
                        .header("Authorization", "Bearer " + readerKey)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(STRICT_JSON.readTree(catalogConfig.body()).get("endpoints"))
                .extracting(JsonNode::asText)
                .contains("POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/sign");
    }

    @Test
    void signaturesAndTheCatalogsKeysReachNoLogOrMetric() throws Exception {
        JsonNode signed = json(sign(writerKey, SIGN_A, request("GET", pathStyle(metadataOfA()))));
        String authorization = signed.get("headers").get("Authorization").get(0).asText();
        String signature = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
        assertThat(signature).hasSize(64);
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(floe.uri().resolve("/metrics"))
                                .header("Authorization", "Bearer " + floe.adminKey())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String secret : List.of(signature, moto.catalogCredentials().secretAccessKey())) {
            assertThat(floe.log()).doesNotContain(secret);
            assertThat(metrics).doesNotContain(secret);
        }
    }

    // ---- helpers

    private static RESTCatalog client(String token, boolean signing) {
        Map<String, String> properties =
                new HashMap<>(Map.of(CatalogProperties.URI, floe.uri().toString(), "token", token));
        if (signing) {
            properties.put("header.X-Iceberg-Access-Delegation", "remote-signing");
        }
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize("signing-it", properties);
        return catalog;
    }

    private static void write(FileIO io, String location) throws Exception {
        try (OutputStream stream = io.newOutputFile(location).create()) {
            stream.write(1);
        }
    }

    /** The catalog's 403 reaches the engine as Iceberg's ForbiddenException, somewhere in the S3 SDK's chain. */
    private static void assertRefusedBySigner(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(e -> {
            Throwable cause = e;
            while (cause != null && !(cause instanceof org.apache.iceberg.exceptions.ForbiddenException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a ForbiddenException in the chain of %s", e).isNotNull();
        });
    }

    private static String metadataLocation(Table table) {
        return ((HasTableOperations) table).operations().current().metadataFileLocation();
    }

    private static String metadataOfA() throws Exception {
        return key(STRICT_JSON
                .readTree(loadTable("a", writerKey, null))
                .get("metadata-location")
                .asText());
    }

    private static String loadTable(String table, String token, String delegation) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        floe.uri().resolve("/v1/default/namespaces/sales/tables/" + table))
                .header("Authorization", "Bearer " + token);
        if (delegation != null) {
            request.header("X-Iceberg-Access-Delegation", delegation);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String pathStyle(String key) {
        return moto.endpoint() + "/" + BUCKET + "/" + key;
    }

    private static ObjectNode request(String method, String uri) {
        ObjectNode request = STRICT_JSON
                .createObjectNode()
                .put("region", "us-east-1")
                .put("method", method)
                .put("uri", uri);
        request.putObject("headers");
        return request;
    }

    private static ObjectNode withHeader(ObjectNode request, String name, String value) {
        ((ObjectNode) request.get("headers")).putArray(name).add(value);
        return request;
    }

    private static ObjectNode deleteObjects(String... keys) {
        StringBuilder xml = new StringBuilder("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (String key : keys) {
            xml.append("<Object><Key>").append(key).append("</Key></Object>");
        }
        return request("POST", pathStyle("") + "?delete")
                .put("body", xml.append("</Delete>").toString());
    }

    private static HttpResponse<String> sign(String token, String path, ObjectNode request) throws Exception {
        return sign(token, path, request.toString());
    }

    private static HttpResponse<String> sign(String token, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(floe.uri().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return STRICT_JSON.readTree(response.body());
    }

    private static void assertForbidden(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        JsonNode error = STRICT_JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(403);
        assertThat(error.get("type").asText()).isEqualTo("ForbiddenException");
    }

    /** A GET sent straight to moto with the given headers (those Java's client lets a caller set). */
    private static HttpResponse<String> s3Get(String uri, JsonNode headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
        Set<String> restricted = Set.of("host", "content-length", "connection");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (!restricted.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(v -> request.header(header.getKey(), v.asText()));
            }
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> objects(String bucket, String prefix) {
        return catalogS3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key)
                .toList();
    }

    private static String key(String location) {
        return location.substring(("s3://" + BUCKET + "/").length());
    }
}
