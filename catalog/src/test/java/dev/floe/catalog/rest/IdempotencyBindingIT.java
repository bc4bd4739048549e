package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 6: an {@code Idempotency-Key} replays only for the same caller sending the same
 * request (principal, warehouse, method, path and body); any other reuse is refused with 422, and
 * nothing of the first caller's response reaches the second. Real server with authentication on,
 * over real HTTP, on the suite's embedded PostgreSQL.
 */
class IdempotencyBindingIT {

    @TempDir
    Path dir;

    private TestCatalogServers.AdminServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String admin;
    private String writer;

    @BeforeEach
    void start() throws Exception {
        server = TestCatalogServers.startWithAdmin(dir, SharedPostgres.get().newDatabase());
        admin = server.admin().token();
        writer = createKey("writer-" + UUID.randomUUID(), "[\"writer\"]");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anotherCallerReusingAKeyGets422AndNothingOfTheFirstResponse() {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(
                "/v1/namespaces",
                admin,
                key,
                "{\"namespace\":[\"finance\"],\"properties\":{\"owner-note\":\"admin-only-7f3a\"}}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("admin-only-7f3a");

        HttpResponse<String> reused = post("/v1/namespaces", writer, key, "{\"namespace\":[\"marketing\"]}");

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.body())
                .contains("\"type\":\"UnprocessableEntityException\"", "\"code\":422")
                .doesNotContain("admin-only-7f3a")
                .doesNotContain("finance");
        // refused, not run: the writer's namespace does not exist
        assertThat(send("GET", "/v1/namespaces/marketing", admin, null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theSameCallerReusingAKeyForAnotherBodyOrPathGets422() {
        String key = UUID.randomUUID().toString();
        assertThat(post("/v1/namespaces", writer, key, "{\"namespace\":[\"sales\"]}")
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> otherBody = post("/v1/namespaces", writer, key, "{\"namespace\":[\"support\"]}");
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(otherBody.body()).contains("\"code\":422");
        assertThat(send("GET", "/v1/namespaces/support", admin, null, null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> otherPath =
                post("/v1/namespaces/sales/properties", writer, key, "{\"updates\":{\"a\":\"b\"}}");
        assertThat(otherPath.statusCode()).isEqualTo(422);
        assertThat(send("GET", "/v1/namespaces/sales", admin, null, null).body())
                .doesNotContain("\"a\"");
    }

    @Test
    void theSameRequestFromTheSameCallerIsReplayedNotRunAgain() {
        String key = UUID.randomUUID().toString();
        String body = "{\"namespace\":[\"ops\"],\"properties\":{\"team\":\"sre\"}}";
        HttpResponse<String> first = post("/v1/namespaces", writer, key, body);
        assertThat(first.statusCode()).isEqualTo(200);

        HttpResponse<String> retry = post("/v1/namespaces", writer, key, body);

        // a second run would have answered 409 AlreadyExists
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
    }

    private HttpResponse<String> post(String path, String credential, String idempotencyKey, String body) {
        return send("POST", path, credential, idempotencyKey, body);
    }

    private HttpResponse<String> send(
            String method, String path, String credential, String idempotencyKey, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(server.server().uri() + path.substring(1)))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + credential);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    private String createKey(String name, String roles) {
        HttpResponse<String> created = send(
                "POST", "/management/v1/api-keys", admin, null, "{\"name\":\"" + name + "\",\"roles\":" + roles + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher m = Pattern.compile("\"apiKey\"\\s*:\\s*\"(floe_[^\"]+)\"").matcher(created.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
