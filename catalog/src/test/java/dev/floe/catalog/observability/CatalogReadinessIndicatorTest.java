package dev.floe.catalog.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.catalog.WarehouseConfig;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.LogCapture;
import dev.floe.catalog.testing.TestSealers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * What the database readiness check logs, on a real SQLite store: a fresh start's first UP is
 * "readiness: UP", not "UP again" (nothing was down), and repeated checks stay quiet. The recovery
 * after a DOWN ("UP again") needs a database that can stop and start: ReadinessIT, on PostgreSQL.
 */
class CatalogReadinessIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void logsTheFirstUpOfAFreshStartAsUpNotUpAgainAndThenADownOnce() {
        MetadataStore store = MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
        try (Warehouses warehouses = new Warehouses(
                        store,
                        List.of(new WarehouseConfig(
                                "main", dir.resolve("wh").toUri().toString())),
                        "main");
                LogCapture logs = LogCapture.attach()) {
            CatalogReadinessIndicator indicator = new CatalogReadinessIndicator(warehouses);

            assertThat(check(indicator).getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(check(indicator).getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(readinessLines(logs)).containsExactly("readiness: UP (database UP)");

            store.close(); // the pool refuses connections from now on: the database is DOWN
            assertThat(check(indicator).getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(check(indicator).getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(readinessLines(logs)).hasSize(2).last().asString().startsWith("readiness: database DOWN: ");
            assertThat(logs.all()).doesNotContain("UP again");
        }
    }

    private static HealthResult check(CatalogReadinessIndicator indicator) {
        return Mono.from(indicator.getResult()).block(Duration.ofSeconds(10));
    }

    /** The indicator's own lines, without the logger name LogCapture prefixes nor the MDC it appends. */
    private static List<String> readinessLines(LogCapture logs) {
        String prefix = CatalogReadinessIndicator.class.getName() + " ";
        return logs.all()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length(), line.lastIndexOf(" {")))
                .toList();
    }
}
