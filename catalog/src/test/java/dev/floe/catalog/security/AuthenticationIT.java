package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.testing.LogCapture;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication end to end on the real server: API keys in both headers, the management API, the
 * OAuth2 token endpoint driven by Iceberg's own {@link RESTCatalog} ({@code credential=} and
 * {@code token=}), scoped keys, security headers, request ids, the body limit, the audit log, and
 * finally that no secret reached a log line, an audit line or an error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AuthenticationIT {

    @TempDir
    static Path dir;

    private LogCapture logs;
    private SecureCatalogServer server;
    private SecurityHttp http;
    private String admin;
    private String masterKey;
    private final List<String> secrets = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        logs = LogCapture.attach();
        ApiKeyCredential bootstrap = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), bootstrap.token());
        server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.auth.cache-ttl",
                        "1s",
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()));
        http = new SecurityHttp(server.uri());
        admin = bootstrap.token();
        remember(admin);
        // the development master key ring: "<version>:<base64 key>" lines
        masterKey = Files.readAllLines(dir.resolve("keys")
                        .resolve(Files.list(dir.resolve("keys"))
                                .findFirst()
                                .orElseThrow()
                                .getFileName()))
                .get(0)
                .split(":", 2)[1];
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void acceptsKeyInEitherHeaderAndRejectsWrongOrMalformedOnes() {
        String reader = remember(http.createKey(admin, "r1", "[\"reader\"]", null, null));
        assertThat(send("GET", "/v1/config", null, "Bearer " + reader, null).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/config", null, null, reader).statusCode()).isEqualTo(200);

        String wrongSecret = reader.substring(0, reader.length() - 4) + "AAAA";
        for (String bad : List.of(wrongSecret, "floe_short", "not-a-key", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln")) {
            HttpResponse<String> r = send("GET", "/v1/config", null, "Bearer " + bad, null);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).contains("Bearer"));
        }
        assertThat(send("GET", "/v1/config", null, "Basic dXNlcjpwYXNz", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void managementApiCreatesListsAndRevokesKeysAndNeverShowsSecretsAgain() {
        String writer = remember(http.createKey(admin, "etl", "[\"writer\"]", null, null));
        String keyId = writer.substring(5, 21);
        HttpResponse<String> list = send("GET", "/management/v1/api-keys", null, "Bearer " + admin, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(keyId).contains("\"etl\"").doesNotContain(writer.substring(22));
        assertThat(send("GET", "/management/v1/api-keys", null, "Bearer " + writer, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(
                                "POST",
                                "/management/v1/api-keys",
                                "{\"name\":\"x\",\"roles\":[\"superuser\"]}",
                                "Bearer " + admin,
                                null)
                        .statusCode())
                .isEqualTo(400);

        assertThat(send("DELETE", "/management/v1/api-keys/" + keyId, null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", "/management/v1/api-keys/" + keyId, null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(404);
        // Revoked on this replica: the cache entry is dropped at once.
        assertThat(send("GET", "/v1/config", null, "Bearer " + writer, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void icebergRestCatalogWorksWithCredentialThroughTokenEndpointAndWithBearerKey() throws Exception {
        String writer = remember(http.createKey(admin, "spark", "[\"writer\"]", null, null));
        String keyId = writer.substring(5, 21);
        String secret = writer.substring(22);
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

        try (RESTCatalog viaCredential = catalog(Map.of("credential", keyId + ":" + secret))) {
            viaCredential.createNamespace(Namespace.of("iceberg_client"));
            viaCredential.createTable(TableIdentifier.of("iceberg_client", "events"), schema);
            assertThat(viaCredential.listTables(Namespace.of("iceberg_client")))
                    .extracting(TableIdentifier::name)
                    .contains("events");
        }
        try (RESTCatalog viaToken = catalog(Map.of("token", writer))) {
            assertThat(viaToken.tableExists(TableIdentifier.of("iceberg_client", "events")))
                    .isTrue();
            assertThat(viaToken.loadTable(TableIdentifier.of("iceberg_client", "events"))
                            .schema()
                            .columns())
                    .hasSize(1);
        }
        String reader = remember(http.createKey(admin, "trino", "[\"reader\"]", null, null));
        try (RESTCatalog readOnly = catalog(Map.of("token", reader))) {
            assertThat(readOnly.tableExists(TableIdentifier.of("iceberg_client", "events")))
                    .isTrue();
            assertThatThrownBy(() -> readOnly.dropTable(TableIdentifier.of("iceberg_client", "events")))
                    .isInstanceOf(ForbiddenException.class);
        }
        assertThatThrownBy(() -> catalog(Map.of("credential", keyId + ":" + "A".repeat(43))))
                .isInstanceOf(NotAuthorizedException.class);
    }

    @Test
    void issuedTokensWorkUntilTheirKeyIsRevoked() {
        String writer = remember(http.createKey(admin, "tok", "[\"writer\"]", null, null));
        String keyId = writer.substring(5, 21);
        HttpResponse<String> issued = http.form(
                "/v1/oauth/tokens",
                "grant_type=client_credentials&scope=catalog&client_id=" + keyId + "&client_secret="
                        + URLEncoder.encode(writer.substring(22), StandardCharsets.UTF_8),
                null);
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(issued.body());
        assertThat(m.find()).isTrue();
        String token = remember(m.group(1));
        assertThat(issued.body()).contains("\"token_type\":\"bearer\"").contains("\"expires_in\":3600");

        assertThat(send("GET", "/v1/config", null, "Bearer " + token, null).statusCode())
                .isEqualTo(200);
        // token exchange (what Iceberg clients do to refresh) yields a new working token
        HttpResponse<String> exchanged = http.form(
                "/v1/oauth/tokens",
                "grant_type=urn:ietf:params:oauth:grant-type:token-exchange" + "&subject_token=" + token
                        + "&subject_token_type=urn:ietf:params:oauth:token-type:access_token",
                "Bearer " + token);
        assertThat(exchanged.statusCode()).isEqualTo(200);
        Matcher m2 = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(exchanged.body());
        assertThat(m2.find()).isTrue();
        remember(m2.group(1));

        String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(send("GET", "/v1/config", null, "Bearer " + tampered, null).statusCode())
                .isEqualTo(401);

        HttpResponse<String> badGrant =
                http.form("/v1/oauth/tokens", "grant_type=password&username=a&password=b", null);
        bodies.add(badGrant.body());
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(badGrant.body()).contains("unsupported_grant_type");

        assertThat(send("DELETE", "/management/v1/api-keys/" + keyId, null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(send("GET", "/v1/config", null, "Bearer " + token, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void scopedKeysSeeOnlyTheirNamespaceAndWarehouse() {
        for (String ns : List.of("sales", "sales\u001feu", "hr")) {
            String[] levels = ns.split("\u001f");
            String json = "{\"namespace\":[\"" + String.join("\",\"", levels) + "\"],\"properties\":{}}";
            assertThat(send("POST", "/v1/default/namespaces", json, "Bearer " + admin, null)
                            .statusCode())
                    .isEqualTo(200);
        }
        String schema =
                "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
        assertThat(send("POST", "/v1/default/namespaces/hr/tables", schema, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(200);

        String sales = remember(http.createKey(admin, "sales-team", "[\"writer\"]", null, "sales"));
        assertThat(send("GET", "/v1/default/namespaces/sales", null, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/default/namespaces/sales%1Feu", null, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/default/namespaces/sales/tables", schema, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(200);

        // Outside the scope: the same answer as for something that does not exist.
        HttpResponse<String> hidden = send("GET", "/v1/default/namespaces/hr/tables/t", null, "Bearer " + sales, null);
        HttpResponse<String> missing =
                send("GET", "/v1/default/namespaces/hr/tables/nope", null, "Bearer " + admin, null);
        assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(hidden.body()).contains("NoSuchTableException");
        assertThat(send("GET", "/v1/default/namespaces/hr", null, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", "/v1/default/namespaces/hr/tables/t", null, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/v1/default/namespaces/salesforce", null, "Bearer " + sales, null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/v1/default/namespaces/hr/tables/t", null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(200);

        String otherWarehouse = remember(http.createKey(admin, "other-wh", "[\"admin\"]", "other", null));
        assertThat(send("GET", "/v1/config", null, "Bearer " + otherWarehouse, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/v1/default/namespaces/sales", null, "Bearer " + otherWarehouse, null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/v1/namespaces/sales", null, "Bearer " + otherWarehouse, null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void scopedKeysListCreateRenameAndCommitOnlyWithinTheirNamespace() {
        for (String ns : List.of("fin", "fin\u001feu", "fin\u001fus", "finance", "ops")) {
            String json = "{\"namespace\":[\"" + String.join("\",\"", ns.split("\u001f")) + "\"]}";
            assertThat(send("POST", "/v1/default/namespaces", json, "Bearer " + admin, null)
                            .statusCode())
                    .isEqualTo(200);
        }
        String table =
                "{\"name\":\"%s\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
        assertThat(send(
                                "POST",
                                "/v1/default/namespaces/fin%1Feu/tables",
                                table.formatted("t1"),
                                "Bearer " + admin,
                                null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/default/namespaces/ops/tables", table.formatted("t2"), "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(200);
        String eu = remember(http.createKey(admin, "fin-eu", "[\"writer\"]", null, "fin.eu"));

        // listings show the way to the scope and what is inside it, nothing beside it
        HttpResponse<String> top = send("GET", "/v1/default/namespaces", null, "Bearer " + eu, null);
        assertThat(top.statusCode()).isEqualTo(200);
        assertThat(top.body())
                .contains("[\"fin\"]")
                .doesNotContain("finance")
                .doesNotContain("ops")
                .doesNotContain("sales")
                .doesNotContain("hr");
        HttpResponse<String> children = send("GET", "/v1/default/namespaces?parent=fin", null, "Bearer " + eu, null);
        assertThat(children.statusCode()).isEqualTo(200);
        assertThat(children.body()).contains("[\"fin\",\"eu\"]").doesNotContain("\"us\"");
        HttpResponse<String> paged = send("GET", "/v1/default/namespaces?pageSize=1", null, "Bearer " + eu, null);
        assertThat(paged.body()).contains("[\"fin\"]").doesNotContain("next-page-token\":\"");
        HttpResponse<String> hiddenParent =
                send("GET", "/v1/default/namespaces?parent=ops", null, "Bearer " + eu, null);
        HttpResponse<String> missingParent =
                send("GET", "/v1/default/namespaces?parent=nope", null, "Bearer " + eu, null);
        assertThat(hiddenParent.statusCode()).isEqualTo(404).isEqualTo(missingParent.statusCode());
        assertThat(hiddenParent.body()).contains("NoSuchNamespaceException");
        assertThat(send("GET", "/v1/default/namespaces?parent=fin", null, "Bearer " + admin, null)
                        .body())
                .contains("\"us\"");

        // namespaces are created only inside the scope, whether or not the outside one exists
        assertThat(send("POST", "/v1/default/namespaces", "{\"namespace\":[\"ops\",\"x\"]}", "Bearer " + eu, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/v1/default/namespaces", "{\"namespace\":[\"fin\"]}", "Bearer " + eu, null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(
                                "POST",
                                "/v1/default/namespaces",
                                "{\"namespace\":[\"fin\",\"eu\",\"new\"]}",
                                "Bearer " + eu,
                                null)
                        .statusCode())
                .isEqualTo(200);

        // renames: neither the source nor the destination may lie outside
        String rename =
                "{\"source\":{\"namespace\":[%s],\"name\":\"%s\"},\"destination\":{\"namespace\":[%s],\"name\":\"%s\"}}";
        HttpResponse<String> out = send(
                "POST",
                "/v1/default/tables/rename",
                rename.formatted("\"fin\",\"eu\"", "t1", "\"ops\"", "t1"),
                "Bearer " + eu,
                null);
        assertThat(out.statusCode()).isEqualTo(404);
        assertThat(out.body()).contains("NoSuchNamespaceException");
        HttpResponse<String> in = send(
                "POST",
                "/v1/default/tables/rename",
                rename.formatted("\"ops\"", "t2", "\"fin\",\"eu\"", "t2"),
                "Bearer " + eu,
                null);
        assertThat(in.statusCode()).isEqualTo(404);
        assertThat(in.body()).contains("NoSuchTableException");
        assertThat(send(
                                "POST",
                                "/v1/views/rename",
                                rename.formatted("\"ops\"", "v", "\"fin\",\"eu\"", "v"),
                                "Bearer " + eu,
                                null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/v1/default/namespaces/ops/tables/t2", null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/v1/default/namespaces/fin%1Feu/tables/t1", null, "Bearer " + admin, null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(
                                "POST",
                                "/v1/default/tables/rename",
                                rename.formatted("\"fin\",\"eu\"", "t1", "\"fin\",\"eu\",\"new\"", "t1"),
                                "Bearer " + eu,
                                null)
                        .statusCode())
                .isEqualTo(204);

        // transactions: every table must be inside
        String change =
                "{\"identifier\":{\"namespace\":[%s],\"name\":\"%s\"},\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"touched\":\"yes\"}}]}";
        String mixed = "{\"table-changes\":[" + change.formatted("\"fin\",\"eu\",\"new\"", "t1") + ","
                + change.formatted("\"ops\"", "t2") + "]}";
        HttpResponse<String> denied = send("POST", "/v1/default/transactions/commit", mixed, "Bearer " + eu, null);
        assertThat(denied.statusCode()).isEqualTo(404);
        assertThat(denied.body()).contains("NoSuchTableException");
        assertThat(send("GET", "/v1/default/namespaces/ops/tables/t2", null, "Bearer " + admin, null)
                        .body())
                .doesNotContain("touched");
        String inside = "{\"table-changes\":[" + change.formatted("\"fin\",\"eu\",\"new\"", "t1") + "]}";
        assertThat(send("POST", "/v1/default/transactions/commit", inside, "Bearer " + eu, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(send("GET", "/v1/default/namespaces/fin%1Feu%1Fnew/tables/t1", null, "Bearer " + eu, null)
                        .body())
                .contains("touched");
        // each body refusal above counted as a scope denial
        assertThat(server.context()
                        .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                        .find("floe.auth.denied")
                        .tag("reason", "scope")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(6.0);
    }

    @Test
    void everyAnswerCarriesRequestIdAndSecurityHeaders() {
        HttpResponse<String> ok = send("GET", "/v1/config", null, "Bearer " + admin, null);
        HttpResponse<String> denied = send("GET", "/v1/config", null, null, null);
        for (HttpResponse<String> r : List.of(ok, denied)) {
            assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        HttpResponse<String> echoed =
                http.sendWithHeader("GET", "/v1/config", "Bearer " + admin, "X-Request-Id", "trace-42");
        assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("trace-42");
        HttpResponse<String> unsafe =
                http.sendWithHeader("GET", "/v1/config", "Bearer " + admin, "X-Request-Id", "bad id\u0007");
        assertThat(unsafe.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(v -> assertThat(v).doesNotContain("bad"));
    }

    @Test
    void rejectsBodiesOverTenMebibytes() {
        String big = "{\"namespace\":[\"big\"],\"properties\":{\"x\":\"" + "a".repeat(11 * 1024 * 1024) + "\"}}";
        HttpResponse<String> r = send("POST", "/v1/default/namespaces", big, "Bearer " + admin, null);
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void auditsMutationsAuthFailuresAndManagementAsJsonLines() throws Exception {
        String before = send("GET", "/v1/config", null, "Bearer floe_aaaaaaaaaaaaaaaa_" + "B".repeat(43), null)
                .headers()
                .firstValue("X-Request-Id")
                .orElseThrow();
        String created = remember(http.createKey(admin, "audited", "[\"reader\"]", null, null));
        Path audit = dir.resolve("audit.log");
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(audit).contains(created.substring(5, 21)));
        List<String> lines = Files.readAllLines(audit);
        assertThat(lines)
                .allSatisfy(
                        line -> assertThat(line).startsWith("{").endsWith("}").contains("\"type\":\"audit\""));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"requestId\":\"" + before + "\"")
                        .contains("\"action\":\"auth.failure\"")
                        .contains("\"status\":401")
                        .contains("\"result\":\"denied\""));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"action\":\"api-key.create\"")
                        .contains("\"target\":\"" + created.substring(5, 21) + "\"")
                        .contains("\"principal\":\"key:" + admin.substring(5, 21) + "\""));
    }

    /** Checks the traffic of this test and of every test that ran before it in this class. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void noSecretReachesLogsAuditLinesOrErrorBodies() throws Exception {
        // generate some traffic with secrets in all the usual places
        String key = remember(http.createKey(admin, "hygiene", "[\"reader\"]", null, null));
        send("GET", "/v1/default/namespaces/none/tables/x", null, "Bearer " + key, null);
        send("GET", "/v1/config", null, "Bearer " + key + "x", null);
        bodies.add(http.form(
                        "/v1/oauth/tokens",
                        "grant_type=client_credentials&client_id=" + key.substring(5, 21) + "&client_secret=wrong"
                                + key.substring(22),
                        null)
                .body());
        String everything =
                logs.all() + "\n" + Files.readString(dir.resolve("audit.log")) + "\n" + String.join("\n", bodies);
        assertThat(everything).contains("auth.failure"); // the capture really holds the run
        for (String secret : secrets) {
            String secretPart = secret.startsWith("floe_") ? secret.substring(22) : secret;
            assertThat(everything).as("a secret leaked").doesNotContain(secretPart);
        }
        assertThat(everything).doesNotContain(masterKey);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization, String apiKey) {
        HttpResponse<String> response = http.send(method, path, body, authorization, apiKey);
        if (response.statusCode() >= 400) { // error bodies must never echo a credential
            bodies.add(response.body());
        }
        return response;
    }

    private String remember(String secret) {
        secrets.add(secret);
        return secret;
    }

    private RESTCatalog catalog(Map<String, String> auth) {
        Map<String, String> props = new HashMap<>(auth);
        props.put("uri", server.uri().toString());
        props.put("warehouse", "default");
        props.put("io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize("floe", props);
        return catalog;
    }
}
