package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.server.FloeServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a table load is served, over real HTTP: on embedded SQLite with local metadata a load whose
 * response is cached is answered on the request's event loop ({@code floe_table_loads_total
 * {thread="event-loop"}}), everything else on the blocking pool, and either way the answer is the
 * table's current state: a commit made through another server on the same database file is seen by
 * the next load, a dropped table is 404 at once. Callers that accept gzip get the stored gzip copy
 * with the same ETag; PostgreSQL loads always take the blocking pool.
 */
class TableLoadPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final TableIdentifier TABLE = TableIdentifier.of("db", "wide");

    @TempDir
    Path dir;

    @Test
    void cachedLoadsAreServedOnTheEventLoopAndAlwaysShowTheCurrentPointer() throws Exception {
        try (FloeServer server = TestCatalogServers.startSqlite(dir);
                FloeServer other = TestCatalogServers.startSqlite(dir);
                RESTCatalog catalog = TestCatalogServers.client(server, Map.of());
                RESTCatalog otherCatalog = TestCatalogServers.client(other, Map.of())) {
            String url = createWideTable(server, catalog);

            HttpResponse<byte[]> first = get(url, Map.of());
            assertThat(first.statusCode()).isEqualTo(200);
            double eventLoop = loads(server, "event-loop");
            double blocking = loads(server, "blocking");
            HttpResponse<byte[]> second = get(url, Map.of());
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(loads(server, "event-loop"))
                    .as("cached load on the event loop")
                    .isEqualTo(eventLoop + 1);
            assertThat(loads(server, "blocking")).isEqualTo(blocking);

            // committed through the other server: the pointer is read from the database on every load
            otherCatalog
                    .loadTable(TABLE)
                    .updateProperties()
                    .set("owner", "other-replica")
                    .commit();
            JsonNode afterCommit = JSON.readTree(get(url, Map.of()).body());
            assertThat(afterCommit.at("/metadata/properties/owner").asText()).isEqualTo("other-replica");
            assertThat(afterCommit.get("metadata-location").asText())
                    .isEqualTo(((org.apache.iceberg.HasTableOperations) otherCatalog.loadTable(TABLE))
                            .operations()
                            .current()
                            .metadataFileLocation());

            otherCatalog.dropTable(TABLE, false);
            HttpResponse<byte[]> dropped = get(url, Map.of());
            assertThat(dropped.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(dropped.body()).at("/error/type").asText()).isEqualTo("NoSuchTableException");
        }
    }

    @Test
    void callersAcceptingGzipGetTheStoredCopyWithTheSameEtag() throws Exception {
        try (FloeServer server = TestCatalogServers.startSqlite(dir);
                RESTCatalog catalog = TestCatalogServers.client(server, Map.of())) {
            String url = createWideTable(server, catalog);
            HttpResponse<byte[]> plain = get(url, Map.of());
            assertThat(plain.body().length).isGreaterThan(LoadTableCache.GZIP_MIN_BYTES);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();

            for (String thread : List.of("blocking", "event-loop")) { // the gzip copy is made off the event loop
                double before = loads(server, thread);
                HttpResponse<byte[]> gzip = get(url, Map.of("Accept-Encoding", "gzip, x-gzip, deflate"));
                assertThat(loads(server, thread)).as(thread).isEqualTo(before + 1);
                assertThat(gzip.statusCode()).isEqualTo(200);
                assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
                assertThat(gzip.headers().firstValue("Vary")).contains("Accept-Encoding");
                assertThat(gzip.headers().firstValue("ETag"))
                        .isEqualTo(plain.headers().firstValue("ETag"));
                assertThat(gunzip(gzip.body())).isEqualTo(plain.body());
            }
            assertThat(get(url, Map.of("Accept-Encoding", "gzip;q=0")).headers().firstValue("Content-Encoding"))
                    .isEmpty();
            HttpResponse<byte[]> notModified = get(
                    url,
                    Map.of(
                            "Accept-Encoding",
                            "gzip",
                            "If-None-Match",
                            plain.headers().firstValue("ETag").orElseThrow()));
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
        }
    }

    @Test
    void postgresLoadsAlwaysTakeTheBlockingPool() throws Exception {
        try (FloeServer server = TestCatalogServers.startPostgres(dir);
                RESTCatalog catalog = TestCatalogServers.client(server, Map.of())) {
            String url = createWideTable(server, catalog);
            for (int i = 0; i < 3; i++) {
                assertThat(get(url, Map.of()).statusCode()).isEqualTo(200);
            }
            assertThat(loads(server, "event-loop")).isZero();
            assertThat(loads(server, "blocking")).isEqualTo(3);
        }
    }

    /** Creates {@code db.wide} (40 columns, so its load response is over 1 KiB) and returns its load URL. */
    private static String createWideTable(FloeServer server, RESTCatalog catalog) {
        catalog.createNamespace(Namespace.of("db"));
        catalog.createTable(TABLE, wideSchema());
        return server.uri() + "v1/namespaces/db/tables/wide";
    }

    private static Schema wideSchema() {
        List<Types.NestedField> fields = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            fields.add(Types.NestedField.optional(i, "column_" + i, Types.LongType.get()));
        }
        return new Schema(fields);
    }

    private static HttpResponse<byte[]> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static double loads(FloeServer server, String thread) {
        Counter counter = server.context()
                .getBean(MeterRegistry.class)
                .find(LoadTableMetrics.NAME)
                .tag("thread", thread)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
