package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.OAuthErrorResponseParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of {@code POST /v1/oauth/tokens} is an OAuth2 error (RFC 6749 section 5.2, the
 * Iceberg spec's {@code OAuthError}): {@code {"error": "<code>", "error_description": "…"}} with
 * 400 for a bad request and 401 for failed client authentication, read with Iceberg's own
 * {@link OAuthErrorResponseParser} (what its client's OAuth error handler uses) and by Iceberg's
 * {@link RESTCatalog}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthTokenErrorsIT {

    private static final String TOKENS = "/v1/oauth/tokens";
    private static final String EXCHANGE = "grant_type=urn:ietf:params:oauth:grant-type:token-exchange"
            + "&subject_token_type=urn:ietf:params:oauth:token-type:access_token";

    @TempDir
    static Path dir;

    private SecureCatalogServer server;
    private SecurityHttp http;
    private ApiKeyCredential admin;

    @BeforeAll
    void start() throws Exception {
        admin = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), admin.token() + "\n");
        server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.security.lockout.max-failures",
                        "1000"));
        http = new SecurityHttp(server.uri());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFormWithACharsetParameterIsATokenRequest() throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        server.uri().resolve("v1/oauth/tokens"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + admin.keyId() + "&client_secret=" + admin.secret()))
                .build();
        HttpResponse<String> response =
                java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"access_token\"");
    }

    @Test
    void malformedRequestsAreInvalidRequest() {
        assertOAuthError(http.form(TOKENS, "", null), 400, "invalid_request");
        assertOAuthError(http.form(TOKENS, "client_id=" + admin.keyId(), null), 400, "invalid_request");
        assertOAuthError(http.form(TOKENS, EXCHANGE, null), 400, "invalid_request");
        assertOAuthError(
                http.form(
                        TOKENS,
                        "grant_type=client_credentials&grant_type=client_credentials&client_id=" + admin.keyId()
                                + "&client_secret=" + admin.secret(),
                        null),
                400,
                "invalid_request");
        // a JSON body is not a token request (RFC 6749 requires the form encoding)
        assertOAuthError(
                http.send("POST", TOKENS, "{\"grant_type\":\"client_credentials\"}", null, null),
                400,
                "invalid_request");
    }

    @Test
    void anUnknownGrantIsUnsupportedGrantType() {
        assertOAuthError(
                http.form(TOKENS, "grant_type=password&username=a&password=b", null), 400, "unsupported_grant_type");
    }

    @Test
    void failedClientAuthenticationIsInvalidClientWithAChallenge() {
        HttpResponse<String> wrong = http.form(
                TOKENS,
                "grant_type=client_credentials&client_id=" + admin.keyId() + "&client_secret=" + "A".repeat(43),
                null);
        assertOAuthError(wrong, 401, "invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
        assertOAuthError(http.form(TOKENS, "grant_type=client_credentials", null), 401, "invalid_client");
    }

    @Test
    void anInvalidSubjectTokenIsInvalidRequest() {
        // RFC 8693 section 2.2.2: an invalid subject_token is invalid_request
        assertOAuthError(http.form(TOKENS, EXCHANGE + "&subject_token=not-a-token", null), 400, "invalid_request");
    }

    @Test
    void icebergsClientReportsTheOAuthError() {
        Map<String, String> props = new HashMap<>();
        props.put("uri", server.uri().toString());
        props.put("credential", admin.keyId() + ":" + "A".repeat(43));
        props.put("io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
        assertThatThrownBy(() -> {
                    try (RESTCatalog catalog = new RESTCatalog()) {
                        catalog.initialize("floe", props);
                    }
                })
                .isInstanceOf(NotAuthorizedException.class)
                .hasMessageContaining("invalid_client");
    }

    private void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        ErrorResponse parsed = OAuthErrorResponseParser.fromJson(status, response.body());
        assertThat(parsed.type()).as(response.body()).isEqualTo(error);
        assertThat(parsed.message()).as(response.body()).isNotBlank();
        assertThat(response.body()).doesNotContain("\"code\"").doesNotContain(admin.secret());
    }
}
