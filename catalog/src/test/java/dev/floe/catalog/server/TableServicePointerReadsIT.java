package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.catalog.WarehouseConfig;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.rest.LoadTableCache;
import dev.floe.catalog.rest.LoadTableMetrics;
import dev.floe.catalog.rest.MetricsReports;
import dev.floe.catalog.rest.Mutations;
import dev.floe.catalog.rest.OpenVendingAccess;
import dev.floe.catalog.rest.TableService;
import dev.floe.catalog.rest.VendedCredentialResponses;
import dev.floe.catalog.security.ScopedEndpointAccess;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import dev.floe.catalog.vending.S3RemoteSigning;
import dev.floe.catalog.vending.StorageCredentialVending;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often a table load opens sealed columns of the store, on a real SQLite store and the real
 * {@link TableService} on its blocking path: a load whose response is not cached yet reads and
 * opens the table's pointer once (not once to check the cache and again in a full load), and a
 * cached one once too. The sealer is the tests' scrambling sealer, wrapped to count its opens.
 */
class TableServicePointerReadsIT {

    private static final TableIdentifier TABLE = TableIdentifier.of("db", "t");

    @TempDir
    Path dir;

    @Test
    void aLoadOpensTheTablePointerOnceWhetherCachedOrNot() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        FieldSealer scrambling = TestSealers.scrambling();
        FieldSealer counting = new FieldSealer() {
            @Override
            public byte[] seal(byte[] plaintext, SealContext context) {
                return scrambling.seal(plaintext, context);
            }

            @Override
            public byte[] open(byte[] sealed, SealContext context) {
                opens.incrementAndGet();
                return scrambling.open(sealed, context);
            }
        };
        ExecutorService blocking = Executors.newSingleThreadExecutor();
        try (Warehouses warehouses = new Warehouses(
                MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), counting),
                List.of(new WarehouseConfig("main", dir.resolve("wh").toUri().toString(), Map.of())),
                "main")) {
            FloeCatalog catalog = warehouses.catalog("main");
            catalog.createNamespace(Namespace.of("db"));
            catalog.createTable(TABLE, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ScopedEndpointAccess access = new ScopedEndpointAccess(meters);
            TableService tables = new TableService(
                    warehouses,
                    new MetricsReports(meters),
                    access,
                    new Mutations(
                            new StoreIdempotencyStore(
                                    warehouses.store().idempotency(),
                                    Clock.systemUTC(),
                                    IdempotencySettings.defaults()),
                            access),
                    new LoadTableCache(),
                    new LoadTableMetrics(meters),
                    blocking,
                    new VendedCredentialResponses(
                            StorageCredentialVending.OFF, S3RemoteSigning.OFF, new OpenVendingAccess()));
            TableService.Load load = new TableService.Load(
                    TABLE, SnapshotMode.ALL, null, false, VendedCredentialResponses.Delegation.NONE);

            opens.set(0);
            MutableHttpResponse<?> miss = tables.load(HttpRequest.GET("/v1/namespaces/db/tables/t"), null, load)
                    .get(30, TimeUnit.SECONDS);
            assertThat(miss.code()).isEqualTo(HttpStatus.OK.getCode());
            assertThat(opens.get())
                    .as("sealed values opened by a load not cached yet")
                    .isEqualTo(1);

            opens.set(0);
            MutableHttpResponse<?> hit = tables.load(HttpRequest.GET("/v1/namespaces/db/tables/t"), null, load)
                    .get(30, TimeUnit.SECONDS);
            assertThat(hit.code()).isEqualTo(HttpStatus.OK.getCode());
            assertThat((byte[]) hit.body()).isEqualTo((byte[]) miss.body());
            assertThat(opens.get()).as("sealed values opened by a cached load").isEqualTo(1);
        } finally {
            blocking.shutdownNow();
        }
    }
}
