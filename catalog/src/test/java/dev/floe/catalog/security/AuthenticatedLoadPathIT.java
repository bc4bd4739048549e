package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a table load is served when authentication is on: a caller whose API key record is cached
 * is authenticated on the event loop and its load of a cached table is answered there too; a caller
 * whose key has to be read from the store is authenticated on a blocking worker, and its load then
 * takes the blocking path on that worker (it does not use the event loop's no-wait reads from a
 * worker thread), counted as such in {@code floe_table_loads_total}. Real server, real SQLite store.
 */
class AuthenticatedLoadPathIT {

    private static final String TABLE = "/v1/namespaces/db/tables/t";
    private static final String SCHEMA =
            "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";

    @TempDir
    Path dir;

    @Test
    void aCallerWhoseKeyNeedsAStoreReadIsServedOnTheBlockingPathThenOnTheEventLoop() throws Exception {
        ApiKeyCredential bootstrap = ApiKeyCredential.generate();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), bootstrap.token());
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of("floe.auth.bootstrap-admin-key-file", keyFile.toString(), "floe.auth.cache-ttl", "5m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String admin = bootstrap.token();
            assertThat(http.send("POST", "/v1/namespaces", "{\"namespace\":[\"db\"]}", admin)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send(
                                    "POST",
                                    "/v1/namespaces/db/tables",
                                    "{\"name\":\"t\",\"schema\":" + SCHEMA + "}",
                                    admin)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send("GET", TABLE, null, admin).statusCode()).isEqualTo(200); // the response is now cached

            double eventLoop = loads(server, "event-loop");
            assertThat(http.send("GET", TABLE, null, admin).statusCode()).isEqualTo(200);
            assertThat(settled(server, "event-loop", eventLoop + 1))
                    .as("cached key, cached response")
                    .isEqualTo(eventLoop + 1);

            String reader = http.createKey(admin, "reader", "[\"reader\"]", null, null);
            double blocking = loads(server, "blocking");
            assertThat(http.send("GET", TABLE, null, reader).statusCode()).isEqualTo(200);
            assertThat(settled(server, "blocking", blocking + 1))
                    .as("key read from the store on a worker")
                    .isEqualTo(blocking + 1);
            assertThat(settled(server, "event-loop", eventLoop + 1)).isEqualTo(eventLoop + 1);

            assertThat(http.send("GET", TABLE, null, reader).statusCode()).isEqualTo(200);
            assertThat(settled(server, "event-loop", eventLoop + 2))
                    .as("the reader's key is cached now")
                    .isEqualTo(eventLoop + 2);
        }
    }

    /**
     * The counter once it reaches {@code expected}, or its value after 2 s: a load is counted as its
     * response completes, which can be just after the client has read it.
     */
    private static double settled(SecureCatalogServer server, String thread, double expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        double value = loads(server, thread);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = loads(server, thread);
        }
        return value;
    }

    private static double loads(SecureCatalogServer server, String thread) {
        Counter counter = server.context()
                .getBean(MeterRegistry.class)
                .find("floe.table.loads")
                .tag("thread", thread)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
