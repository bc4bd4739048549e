package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.security.ApiKeyCredential;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.testing.ExternalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a PostgreSQL backup shows: marker strings are written through the REST API into every kind
 * of sealed value (namespace properties, a table's metadata location, an idempotent response, an
 * API key record), then {@code pg_dump} (PostgreSQL 17, from {@code tools/pg/install-pg-dump.sh})
 * dumps the catalog's database and none of the markers is in it: not as text, not as the hex
 * {@code pg_dump} writes bytea in, not as base64. A canary bytea row written in clear proves the
 * search would see a marker that was stored unsealed.
 */
class PostgresDumpIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NS_MARKER = "marker-ns-prop-5e1d";
    private static final String LOCATION_MARKER = "marker-location-77ab";
    private static final String KEY_MARKER = "marker-api-key-c0de";
    private static final String CANARY = "marker-canary-in-clear-9f0a";

    @TempDir
    Path dir;

    private static HttpResponse<String> send(
            FloeServer server, ApiKeyCredential admin, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + admin.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
        return r;
    }

    @Test
    void pgDumpOfTheCatalogDatabaseHoldsNoMarkerWrittenThroughTheRestApi() throws Exception {
        String storage = SharedPostgres.get().newDatabase();
        try (TestCatalogServers.AdminServer started = TestCatalogServers.startWithAdmin(dir, storage)) {
            FloeServer server = started.server();
            ApiKeyCredential admin = started.admin();
            send(
                    server,
                    admin,
                    "v1/namespaces",
                    "{\"namespace\":[\"sales\"],\"properties\":{\"owner\":\"" + NS_MARKER + "\"}}");
            // a custom location: inside the warehouse, under the table's namespace (locations are confined)
            String location = dir.resolve("warehouse")
                    .resolve("sales")
                    .resolve(LOCATION_MARKER)
                    .toUri()
                    .toString();
            HttpResponse<String> created = send(
                    server,
                    admin,
                    "v1/namespaces/sales/tables",
                    """
                    {"name":"orders","location":"%s","schema":{"type":"struct","schema-id":0,
                     "fields":[{"id":1,"name":"id","required":true,"type":"long"}]}}""".formatted(location),
                    "Idempotency-Key",
                    UUID.randomUUID().toString());
            assertThat(created.body()).contains(LOCATION_MARKER);
            send(server, admin, "management/v1/api-keys", "{\"name\":\"" + KEY_MARKER + "\",\"roles\":[\"reader\"]}");
        }

        try (Connection c = DriverManager.getConnection(jdbc(storage), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE canary (b bytea)");
            s.execute("INSERT INTO canary VALUES (convert_to('" + CANARY + "', 'UTF8'))");
            // Every kind of sealed row is there: the dump below is not vacuous.
            for (String table :
                    List.of("namespaces", "catalog_objects", "idempotency_records", "api_keys", "data_keys")) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    assertThat(r.getLong(1)).as(table).isPositive();
                }
            }
        }

        String dump = dump(storage);
        assertThat(dump).contains("CREATE TABLE public.namespaces", "COPY public.catalog_objects", "orders", "sales");
        assertThat(dump).as("the search sees a bytea value stored in clear").contains(hex(CANARY));
        for (String marker : List.of(NS_MARKER, LOCATION_MARKER, KEY_MARKER)) {
            assertThat(dump)
                    .doesNotContain(marker)
                    .doesNotContain(hex(marker))
                    .doesNotContain(Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String jdbc(String storage) {
        // postgresql://user:password@host:port/db -> jdbc:postgresql://host:port/db
        URI uri = URI.create(storage);
        return "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    }

    /** A plain-format pg_dump of the database. No pg_dump fails the test: it is what the test is about. */
    private String dump(String storage) throws Exception {
        Path pgDump = ExternalServer.runTool("tools/pg/install-pg-dump.sh");
        URI uri = URI.create(storage);
        Path out = dir.resolve("dump.sql");
        List<String> command = new ArrayList<>(List.of(
                pgDump.toString(),
                "--no-password",
                "--host",
                uri.getHost(),
                "--port",
                Integer.toString(uri.getPort()),
                "--username",
                "postgres",
                "--file",
                out.toString(),
                uri.getPath().substring(1)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "postgres");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return Files.readString(out);
    }
}
