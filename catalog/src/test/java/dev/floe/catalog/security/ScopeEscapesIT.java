package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoped credentials stay inside their scope, through real HTTP against the real server: a scoped
 * admin manages only keys inside its own scope and cannot run catalog-wide operations; scope
 * prefixes compare namespace levels, not dot-joined text; and the scope is checked on the
 * namespace the router hands the controller, however the path is spelled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeEscapesIT {

    private static final String KEYS = "/management/v1/api-keys";
    private static final String TABLE = "{\"name\":\"%s\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,"
            + "\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";

    @TempDir
    static Path dir;

    private SecureCatalogServer server;
    private SecurityHttp http;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        ApiKeyCredential bootstrap = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), bootstrap.token() + "\n");
        server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"), dir, Map.of("floe.auth.bootstrap-admin-key-file", keyFile.toString()));
        http = new SecurityHttp(server.uri());
        admin = bootstrap.token();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aNamespaceScopedAdminCreatesKeysOnlyInsideItsScope() {
        String scoped = http.createKey(admin, "sales-admin", "[\"admin\"]", null, "sales");
        // an unscoped key, a key for a sibling namespace, or a key naming another warehouse: refused
        assertRefused(create(scoped, "{\"name\":\"escape\",\"roles\":[\"admin\"]}"));
        assertRefused(create(scoped, "{\"name\":\"escape\",\"roles\":[\"reader\"],\"namespacePrefix\":\"hr\"}"));
        assertRefused(
                create(scoped, "{\"name\":\"escape\",\"roles\":[\"reader\"],\"namespacePrefix\":\"salesforce\"}"));
        // inside: the same namespace or a child, any role up to its own
        HttpResponse<String> child =
                create(scoped, "{\"name\":\"eu\",\"roles\":[\"admin\"],\"namespacePrefix\":\"sales.eu\"}");
        assertThat(child.statusCode()).as(child.body()).isEqualTo(201);
        assertThat(child.body())
                .contains("\"namespacePrefix\":\"sales.eu\"")
                .contains("\"createdBy\":\"key:" + keyId(scoped) + "\"");
        assertThat(create(scoped, "{\"name\":\"same\",\"roles\":[\"reader\"],\"namespacePrefix\":\"sales\"}")
                        .statusCode())
                .isEqualTo(201);
        // nothing the refusals asked for was created
        assertThat(http.send("GET", KEYS, null, admin).body()).doesNotContain("\"escape\"");
    }

    @Test
    void aWarehouseScopedAdminCreatesKeysOnlyForItsWarehouse() {
        String scoped = http.createKey(admin, "default-admin", "[\"admin\"]", "default", null);
        assertRefused(create(scoped, "{\"name\":\"escape\",\"roles\":[\"admin\"]}"));
        assertRefused(create(scoped, "{\"name\":\"escape\",\"roles\":[\"admin\"],\"warehouse\":\"other\"}"));
        HttpResponse<String> inside = create(
                scoped, "{\"name\":\"in\",\"roles\":[\"writer\"],\"warehouse\":\"default\",\"namespacePrefix\":\"x\"}");
        assertThat(inside.statusCode()).as(inside.body()).isEqualTo(201);
    }

    @Test
    void aScopedAdminSeesAndRevokesOnlyKeysInsideItsScope() {
        String scoped = http.createKey(admin, "ops-admin", "[\"admin\"]", null, "ops");
        String inside = http.createKey(admin, "ops-reader", "[\"reader\"]", null, "ops.eu");
        String outside = http.createKey(admin, "hr-reader", "[\"reader\"]", null, "hr");
        String unscoped = http.createKey(admin, "global-reader", "[\"reader\"]", null, null);

        HttpResponse<String> listed = http.send("GET", KEYS, null, scoped);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body())
                .contains(id(inside))
                .contains(id(scoped))
                .doesNotContain(id(outside))
                .doesNotContain(id(unscoped))
                .doesNotContain(id(admin));

        for (String other : new String[] {outside, unscoped, admin}) {
            assertRefused(http.send("GET", KEYS + "/" + keyId(other), null, scoped));
            assertRefused(http.send("DELETE", KEYS + "/" + keyId(other), null, scoped));
            assertThat(http.send("GET", "/v1/config", null, other).statusCode())
                    .as("still valid")
                    .isEqualTo(200);
        }
        assertThat(http.send("DELETE", KEYS + "/" + keyId(inside), null, scoped).statusCode())
                .isEqualTo(204);
        assertThat(http.send("GET", "/v1/config", null, inside).statusCode()).isEqualTo(401);
    }

    @Test
    void catalogWideKeyOperationsNeedAnUnscopedAdmin() {
        for (String scoped : new String[] {
            http.createKey(admin, "ns-admin", "[\"admin\"]", null, "finance"),
            http.createKey(admin, "wh-admin", "[\"admin\"]", "default", null)
        }) {
            assertRefused(http.send("GET", "/management/v1/keys", null, scoped));
            assertRefused(http.send("POST", "/management/v1/keys/rotate", null, scoped));
        }
        HttpResponse<String> keys = http.send("GET", "/management/v1/keys", null, admin);
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
    }

    @Test
    void aScopeOfLevelsDoesNotCoverANamespaceWhoseNameHoldsTheDot() {
        // ["eu.west"] is one level with a dot in its name; a key for eu.west means ["eu", "west"]
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"eu.west\"]}", admin)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send("POST", "/v1/default/namespaces/eu.west/tables", TABLE.formatted("t"), admin)
                        .statusCode())
                .isEqualTo(200);
        String scoped = http.createKey(admin, "eu-west", "[\"writer\"]", null, "eu.west");

        HttpResponse<String> load = http.send("GET", "/v1/default/namespaces/eu.west/tables/t", null, scoped);
        assertThat(load.statusCode()).as(load.body()).isEqualTo(404);
        assertThat(load.body()).contains("NoSuchTableException");
        assertThat(http.send("GET", "/v1/default/namespaces/eu.west", null, scoped)
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"eu.west\",\"x\"]}", scoped)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.send("GET", "/v1/default/namespaces", null, scoped).body())
                .doesNotContain("eu.west");
        // the namespace it does name, as levels, is its own
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"eu\"]}", admin)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"eu\",\"west\"]}", scoped)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theScopeIsCheckedOnTheNamespaceTheRouterServes() {
        // GET /v1/namespaces/namespaces/tables lists the tables of namespace "namespaces" in the
        // default warehouse; a second reading of the path could take it for namespace "tables"
        // of a warehouse called "namespaces".
        assertThat(http.send("POST", "/v1/namespaces", "{\"namespace\":[\"namespaces\"]}", admin)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send("POST", "/v1/namespaces/namespaces/tables", TABLE.formatted("secret_table"), admin)
                        .statusCode())
                .isEqualTo(200);
        String scoped = http.createKey(admin, "tables-reader", "[\"reader\"]", null, "tables");

        HttpResponse<String> listed = http.send("GET", "/v1/namespaces/namespaces/tables", null, scoped);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(404);
        assertThat(listed.body()).doesNotContain("secret_table");
        assertThat(http.send("GET", "/v1/namespaces/namespaces/tables", null, admin)
                        .body())
                .contains("secret_table");
    }

    private HttpResponse<String> create(String caller, String body) {
        return http.send("POST", KEYS, body, caller);
    }

    /** A refusal: 403 or 404 with an ErrorModel body, never a success. */
    private static void assertRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(403, 404);
        assertThat(response.body()).contains("\"error\"").contains("\"code\":" + response.statusCode());
    }

    /** How a listing names a key (its id also appears in the createdBy of keys it made). */
    private static String id(String key) {
        return "\"keyId\":\"" + keyId(key) + "\"";
    }

    private static String keyId(String key) {
        return key.substring("floe_".length(), "floe_".length() + 16);
    }
}
