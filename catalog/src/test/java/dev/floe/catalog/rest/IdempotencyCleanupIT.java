package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.server.FloeServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled clean-up deletes expired {@code Idempotency-Key} records from the metadata store
 * (not merely hides them), at the configured interval and lifetime, and the lifetime is what
 * {@code GET /v1/config} advertises.
 */
class IdempotencyCleanupIT {

    @TempDir
    Path dir;

    @Test
    void deletesExpiredRecordsOnTheConfiguredSchedule() throws Exception {
        try (FloeServer server = TestCatalogServers.start(
                dir,
                dir.resolve("db").toUri().toString(),
                Map.of("floe.idempotency.lifetime", "2s", "floe.idempotency.cleanup-interval", "200ms"))) {
            HttpClient http = HttpClient.newHttpClient();
            String config = http.send(
                            HttpRequest.newBuilder(server.uri().resolve("v1/config"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(config).contains("\"idempotency-key-lifetime\":\"PT2S\"");

            String key = UUID.randomUUID().toString();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(server.uri().resolve("v1/default/namespaces"))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":[\"cleanup\"]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(200);

            var records = server.context().getBean(Warehouses.class).store().idempotency();
            // Instant.EPOCH as "now": also sees records that expired but are still in the table
            assertThat(records.find("*", key, Instant.EPOCH)).as("recorded").isPresent();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> records.find("*", key, Instant.EPOCH).isEmpty());
        }
    }

    @Test
    void refusesToStartWithANonPositiveLifetime() {
        assertThatThrownBy(() -> TestCatalogServers.start(
                                dir, dir.resolve("db").toUri().toString(), Map.of("floe.idempotency.lifetime", "0s"))
                        .close())
                .hasStackTraceContaining("floe.idempotency.lifetime must be a positive duration");
    }
}
