package dev.floe.catalog.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.server.KmsEnvironment;
import dev.floe.catalog.testing.VaultServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Vault outage seen through the REST API: two catalog servers (replicas sharing one SQLite store)
 * use a real Vault's Transit engine, configured through the TOML {@code [kms]} table. One replica
 * rotates to a new data key that the other has never unwrapped, then Vault is stopped: values under
 * cached data keys keep being served and written on both; the other replica answers 503
 * {@code ServiceUnavailableException} with {@code Retry-After} for anything under the new key,
 * writes nothing, and its readiness reports the KMS DOWN (503), while the replica holding the key stays
 * ready as DEGRADED (200). Vault is started again and the same
 * replica serves again without a restart.
 */
class VaultOutageHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SCHEMA = """
            {"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":true,"type":"long"}]}""";

    @TempDir
    static Path dir;

    static VaultServer vault;

    @BeforeAll
    static void startVault() {
        vault = new VaultServer(dir.resolve("vault")).start();
        vault.createTransitKey("floe-http");
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    private static FloeServer server(Map<String, Object> properties) throws Exception {
        Path toml = Files.writeString(dir.resolve("floe.toml"), """
                [server]
                host = "127.0.0.1"
                port = 0
                [storage]
                url = "%s"
                [warehouse]
                location = "%s"
                [kms]
                provider = "vault"
                vault_addr = "%s"
                key_name = "floe-http"
                vault_token_env = "VAULT_TOKEN"
                timeout_seconds = 2
                max_attempts = 2
                backoff_seconds = 0.1
                backoff_max_seconds = 0.2
                breaker_threshold = 2
                breaker_open_seconds = 3
                """.formatted(
                        dir.resolve("db").toUri(), dir.resolve("warehouse").toUri(), vault.address()));
        FloeConfig config = new ConfigLoader().file(toml).dev(true).load();
        Files.createDirectories(dir.resolve("db"));
        Map<String, Object> props = new java.util.HashMap<>(properties);
        props.put("floe.auth.enabled", false); // authentication is covered by the security ITs
        return FloeServer.start(config, props, new KmsEnvironment(Map.of("VAULT_TOKEN", vault.rootToken())));
    }

    private static HttpResponse<String> send(FloeServer server, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String createNamespace(String name, String marker) {
        return "{\"namespace\":[\"" + name + "\"],\"properties\":{\"owner\":\"" + marker + "\"}}";
    }

    private static String createTable(String name) {
        return "{\"name\":\"" + name + "\",\"schema\":" + SCHEMA + "}";
    }

    private static void assertServiceUnavailable(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 30L));
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("ServiceUnavailableException");
        assertThat(error.path("code").asInt()).isEqualTo(503);
        assertThat(r.body()).doesNotContain(vault.rootToken());
    }

    private static String tableDump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db/floe.db"))) {
            for (String table : new String[] {"namespaces", "catalog_objects", "data_keys"}) {
                try (ResultSet r = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= columns; i++) {
                            byte[] value = r.getBytes(i);
                            out.append(
                                            value == null
                                                    ? "null"
                                                    : java.util.HexFormat.of().formatHex(value))
                                    .append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    @Test
    void cachedDataKeysKeepServingUncachedOnesAnswer503AndServiceResumesWhenVaultReturns() throws Exception {
        try (FloeServer warm = server(Map.of());
                FloeServer cold = server(Map.of(
                        "endpoints.health.details-visible", "ANONYMOUS", "floe.readiness.kms-check-interval", "2s"))) {
            // Both replicas serve traffic, so both hold the first data key.
            assertThat(send(warm, "POST", "v1/namespaces", createNamespace("early", "marker-early"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(cold, "GET", "v1/namespaces/early", null).body()).contains("marker-early");
            assertThat(send(cold, "GET", "health/readiness", null).statusCode()).isEqualTo(200);

            // A rotation on the warm replica makes a new active data key that only the warm replica holds;
            // what it writes next is sealed under that key.
            warm.context().getBean(EnvelopeEncryption.class).rotation().rotate(false);
            assertThat(send(warm, "POST", "v1/namespaces", createNamespace("before", "marker-before"))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(warm, "POST", "v1/namespaces/before/tables", createTable("t1"))
                            .statusCode())
                    .isEqualTo(200);

            vault.stop();
            try {
                // Cached data keys: reads and writes continue through the REST API on both replicas.
                HttpResponse<String> ns = send(warm, "GET", "v1/namespaces/before", null);
                assertThat(ns.statusCode()).isEqualTo(200);
                assertThat(ns.body()).contains("marker-before");
                assertThat(send(warm, "GET", "v1/namespaces/before/tables/t1", null)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(send(warm, "POST", "v1/namespaces", createNamespace("during", "marker-during"))
                                .statusCode())
                        .isEqualTo(200);
                assertThat(send(cold, "GET", "v1/namespaces/early", null).body())
                        .contains("marker-early");
                String stored = tableDump();

                // The data key the cold replica never unwrapped: 503 with Retry-After, reads and writes alike.
                assertServiceUnavailable(send(cold, "GET", "v1/namespaces/before", null));
                assertServiceUnavailable(send(cold, "GET", "v1/namespaces/before/tables/t1", null));
                assertServiceUnavailable(send(
                        cold, "POST", "v1/namespaces/before/properties", "{\"updates\":{\"owner\":\"marker-lost\"}}"));
                assertServiceUnavailable(
                        send(
                                cold,
                                "POST",
                                "v1/namespaces/before/tables/t1",
                                "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"marker-lost\"}}]}"));
                // Nothing partial: every stored byte is as it was before the failed requests.
                assertThat(tableDump()).isEqualTo(stored);
                assertThat(send(warm, "GET", "v1/namespaces/before", null).body())
                        .doesNotContain("marker-lost");

                // The meters saw it: failed unwraps on the cold replica, cache hits on the warm one.
                MeterRegistry coldMeters = cold.context().getBean(MeterRegistry.class);
                assertThat(coldMeters
                                .get("floe.kms.calls")
                                .tags("provider", "vault", "operation", "unwrap", "outcome", "unavailable")
                                .counter()
                                .count())
                        .isPositive();
                assertThat(coldMeters
                                .get("floe.dek.cache")
                                .tag("result", "miss")
                                .counter()
                                .count())
                        .isPositive();
                assertThat(warm.context()
                                .getBean(MeterRegistry.class)
                                .get("floe.dek.cache")
                                .tag("result", "hit")
                                .counter()
                                .count())
                        .isPositive();

                // A replica started during the outage cannot start (security's token key is sealed and read at
                // start-up); it fails naming the KMS, and writes nothing. Documented as a known gap.
                assertThatThrownBy(() -> server(Map.of()).close()).hasMessageContaining("KMS (vault) unwrap failed");
                assertThat(tableDump()).isEqualTo(stored);

                // Readiness: the KMS is DOWN on the replica that lacks the active data key (out of the
                // Service); the warm replica, which holds it, stays ready (200) and says DEGRADED.
                HttpResponse<String> ready = send(cold, "GET", "health/readiness", null);
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(ready.body())
                                .path("details")
                                .path("kms")
                                .path("status")
                                .asText())
                        .isEqualTo("DOWN");
                HttpResponse<String> warmReady = send(warm, "GET", "health/readiness", null);
                assertThat(warmReady.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(warmReady.body()).path("status").asText())
                        .isEqualTo("DEGRADED");
            } finally {
                vault.start();
            }

            // Vault is back: the cold replica serves again by itself, no restart.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        HttpResponse<String> r = send(cold, "GET", "v1/namespaces/before", null);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(r.body()).contains("marker-before");
                    });
            assertThat(send(cold, "GET", "v1/namespaces/before/tables/t1", null).statusCode())
                    .isEqualTo(200);
            assertThat(send(
                                    cold,
                                    "POST",
                                    "v1/namespaces/before/properties",
                                    "{\"updates\":{\"owner\":\"marker-after\"}}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(warm, "GET", "v1/namespaces/before", null).body()).contains("marker-after");
            // Readiness follows within one KMS check interval (2 s here).
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = send(cold, "GET", "health/readiness", null);
                        assertThat(ready.statusCode()).isEqualTo(200);
                        assertThat(JSON.readTree(ready.body())
                                        .path("details")
                                        .path("kms")
                                        .path("status")
                                        .asText())
                                .isEqualTo("UP");
                    });
            assertThat(send(warm, "GET", "health/readiness", null).statusCode()).isEqualTo(200);
        }
    }
}
