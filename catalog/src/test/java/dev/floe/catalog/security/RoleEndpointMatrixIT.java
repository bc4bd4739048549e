package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every REST route the catalog serves, called without a credential, as reader, as writer and as
 * admin against the real server: 401 without credentials, 403 when the role is too weak, 2xx when
 * {@link EndpointPolicy} allows it (each role runs the whole lifecycle on its own namespace).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleEndpointMatrixIT {

    @TempDir
    static Path dir;

    private SecureCatalogServer server;
    private SecurityHttp http;
    private String admin;
    private String writer;
    private String reader;

    /** One route call; {@code ns} is replaced by the caller's namespace. */
    record Call(String method, String path, String body, Role required) {}

    @BeforeAll
    void start() throws Exception {
        ApiKeyCredential bootstrap = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), bootstrap.token() + "\n");
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()));
        http = new SecurityHttp(server.uri());
        admin = bootstrap.token();
        writer = http.createKey(admin, "writer", "[\"writer\"]", null, null);
        reader = http.createKey(admin, "reader", "[\"reader\"]", null, null);
        // A fixture the reader can read.
        for (Call call : lifecycle("fixture", false)) {
            if (!call.method().equals("DELETE")) {
                HttpResponse<String> r = http.send(call.method(), call.path(), call.body(), admin);
                assertThat(r.statusCode())
                        .as("fixture " + call.method() + " " + call.path() + " -> " + r.body()
                                + r.headers().map())
                        .isBetween(200, 299);
            }
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutCredentialsEveryProtectedRouteAnswers401WithChallenge() {
        for (Call call : lifecycle("fixture", true)) {
            HttpResponse<String> r = http.send(call.method(), call.path(), call.body(), null);
            assertThat(r.statusCode()).as(call.method() + " " + call.path()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .as(call.path())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            if (!call.method().equals("HEAD")) {
                assertThat(r.body()).contains("\"code\":401").contains("NotAuthorizedException");
            }
        }
    }

    @Test
    void readerMayReadButEveryWriteAnswers403() {
        for (Call call : lifecycle("fixture", true)) {
            HttpResponse<String> r = http.send(call.method(), call.path(), call.body(), reader);
            if (call.required() == Role.READER) {
                assertThat(r.statusCode())
                        .as(call.method() + " " + call.path() + " -> " + r.body())
                        .isBetween(200, 299);
            } else {
                assertThat(r.statusCode()).as(call.method() + " " + call.path()).isEqualTo(403);
            }
        }
    }

    @Test
    void writerRunsTheWholeLifecycleButNotManagement() {
        for (Call call : lifecycle("w_ns", true)) {
            HttpResponse<String> r = http.send(call.method(), call.path(), call.body(), writer);
            if (call.required() == Role.ADMIN) {
                assertThat(r.statusCode()).as(call.method() + " " + call.path()).isEqualTo(403);
            } else {
                assertThat(r.statusCode())
                        .as(call.method() + " " + call.path() + " -> " + r.body())
                        .isBetween(200, 299);
            }
        }
    }

    @Test
    void adminRunsEverything() {
        for (Call call : lifecycle("a_ns", true)) {
            HttpResponse<String> r = http.send(call.method(), call.path(), call.body(), admin);
            assertThat(r.statusCode())
                    .as(call.method() + " " + call.path() + " -> " + r.body())
                    .isBetween(200, 299);
        }
    }

    @Test
    void aPathNoRouteServesIs404ForAnyoneWhileAnotherMethodOfARouteStaysClosed() {
        HttpResponse<String> unrouted = http.send("GET", "/v1/nothing/here/at/all", null, null);
        assertThat(unrouted.statusCode()).isEqualTo(404);
        assertThat(unrouted.body()).contains("\"code\":404");
        assertThat(http.send("PUT", "/v1/default/namespaces/fixture", "{}", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(http.send("PUT", "/v1/default/namespaces/fixture", "{}", reader)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.send("PUT", "/v1/default/namespaces/fixture", "{}", admin)
                        .statusCode())
                .isEqualTo(405);
    }

    @Test
    void everyRouteTheServerServesHasARowInThePolicyTable() {
        List<String> routes = server.context()
                .getBean(io.micronaut.web.router.Router.class)
                .uriRoutes()
                .map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate().toPathString())
                .sorted()
                .toList();
        assertThat(routes).isNotEmpty();
        List<String> unlisted = routes.stream()
                .filter(route -> {
                    String[] parts = route.split(" ", 2);
                    return EndpointPolicy.rule(parts[0], parts[1]).action().equals("other");
                })
                .toList();
        assertThat(unlisted).as("routes without a row (they would need admin)").isEmpty();
        for (org.apache.iceberg.rest.Endpoint endpoint : dev.floe.catalog.rest.ServedEndpoints.WITH_REMOTE_SIGNING) {
            assertThat(EndpointPolicy.rule(endpoint.httpMethod(), endpoint.path())
                            .action())
                    .as(endpoint.toString())
                    .isNotEqualTo("other");
        }
    }

    /**
     * All routes in an order that works on an empty namespace {@code ns}: create, read, change,
     * then drop. With {@code withDrops} false only the creating and reading calls.
     */
    private static List<Call> lifecycle(String ns, boolean withDrops) {
        String p = "/v1/default";
        String schema =
                "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
        String view = "{\"name\":\"v\",\"schema\":" + schema
                + ",\"view-version\":{\"version-id\":1,\"timestamp-ms\":1700000000000,"
                + "\"schema-id\":0,\"summary\":{},\"representations\":[{\"type\":\"sql\",\"sql\":\"select 1\",\"dialect\":\"spark\"}],"
                + "\"default-namespace\":[\"" + ns + "\"]},\"properties\":{}}";
        List<Call> calls = new ArrayList<>(List.of(
                new Call("GET", "/v1/config", null, Role.READER),
                new Call("POST", p + "/namespaces", "{\"namespace\":[\"" + ns + "\"],\"properties\":{}}", Role.WRITER),
                new Call("GET", p + "/namespaces", null, Role.READER),
                new Call("GET", p + "/namespaces/" + ns, null, Role.READER),
                new Call("HEAD", p + "/namespaces/" + ns, null, Role.READER),
                new Call(
                        "POST",
                        p + "/namespaces/" + ns + "/properties",
                        "{\"updates\":{\"owner\":\"x\"},\"removals\":[]}",
                        Role.WRITER),
                new Call(
                        "POST",
                        p + "/namespaces/" + ns + "/tables",
                        "{\"name\":\"t\",\"schema\":" + schema + "}",
                        Role.WRITER),
                new Call("GET", p + "/namespaces/" + ns + "/tables", null, Role.READER),
                new Call("GET", p + "/namespaces/" + ns + "/tables/t", null, Role.READER),
                new Call("HEAD", p + "/namespaces/" + ns + "/tables/t", null, Role.READER),
                new Call("GET", p + "/namespaces/" + ns + "/tables/t/credentials", null, Role.READER),
                new Call(
                        "POST",
                        p + "/namespaces/" + ns + "/tables/t/metrics",
                        "{\"report-type\":\"commit-report\",\"table-name\":\"" + ns
                                + ".t\",\"snapshot-id\":1,\"sequence-number\":1,\"operation\":\"append\",\"metrics\":{}}",
                        Role.READER),
                new Call(
                        "POST",
                        p + "/namespaces/" + ns + "/tables/t",
                        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}",
                        Role.WRITER),
                new Call(
                        "POST",
                        p + "/transactions/commit",
                        "{\"table-changes\":[{\"identifier\":{\"namespace\":[\"" + ns
                                + "\"],\"name\":\"t\"},\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k2\":\"v\"}}]}]}",
                        Role.WRITER),
                new Call("POST", p + "/namespaces/" + ns + "/views", view, Role.WRITER),
                new Call("GET", p + "/namespaces/" + ns + "/views", null, Role.READER),
                new Call("GET", p + "/namespaces/" + ns + "/views/v", null, Role.READER),
                new Call("HEAD", p + "/namespaces/" + ns + "/views/v", null, Role.READER),
                new Call(
                        "POST",
                        p + "/namespaces/" + ns + "/views/v",
                        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"a\":\"b\"}}]}",
                        Role.WRITER),
                new Call("GET", "/management/v1/api-keys", null, Role.ADMIN)));
        if (withDrops) {
            calls.addAll(List.of(
                    new Call(
                            "POST",
                            p + "/tables/rename",
                            "{\"source\":{\"namespace\":[\"" + ns + "\"],\"name\":\"t\"},"
                                    + "\"destination\":{\"namespace\":[\"" + ns + "\"],\"name\":\"t2\"}}",
                            Role.WRITER),
                    new Call(
                            "POST",
                            p + "/views/rename",
                            "{\"source\":{\"namespace\":[\"" + ns + "\"],\"name\":\"v\"},"
                                    + "\"destination\":{\"namespace\":[\"" + ns + "\"],\"name\":\"v2\"}}",
                            Role.WRITER),
                    new Call("DELETE", p + "/namespaces/" + ns + "/views/v2", null, Role.WRITER),
                    new Call("DELETE", p + "/namespaces/" + ns + "/tables/t2", null, Role.WRITER),
                    new Call("DELETE", p + "/namespaces/" + ns, null, Role.WRITER)));
        }
        return calls;
    }
}
