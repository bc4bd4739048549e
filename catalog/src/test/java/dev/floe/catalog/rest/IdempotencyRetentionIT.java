package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.server.FloeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item High 2: an idempotency record does not keep a copy of a large response. A commit
 * to a table whose metadata is larger than {@code floe.idempotency.max-stored-response} (16 KiB)
 * leaves a record of a few hundred bytes (status and SHA-256), and its retry is still answered
 * without running the commit again: with the table's current state. Small responses are kept and
 * replayed byte for byte. Real server over real HTTP, records read back from the embedded
 * PostgreSQL.
 */
class IdempotencyRetentionIT {

    /** 64 KiB of table property: the table's metadata, and so every commit response, is larger. */
    private static final String BLOB = "x".repeat(64 * 1024);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String storage;
    private FloeServer server;

    @BeforeEach
    void start() {
        storage = SharedPostgres.get().newDatabase();
        server = TestCatalogServers.start(dir, storage, Map.of());
        assertThat(post("/v1/namespaces", null, "{\"namespace\":[\"big\"]}").statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/namespaces/big/tables", null, """
                {"name":"wide","schema":{"type":"struct","schema-id":0,
                 "fields":[{"id":1,"name":"id","required":true,"type":"long"}]},
                 "properties":{"blob":"%s"}}""".formatted(BLOB)).statusCode())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLargeCommitResponseIsRecordedByDigestAndItsRetryIsNotRunAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        String commit = setProperty("round", "1");
        HttpResponse<String> first = post("/v1/namespaces/big/tables/wide", key, commit);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().length()).isGreaterThan(BLOB.length());

        assertThat(storedResponseBytes(key))
                .as("sealed response kept in the record")
                .isLessThan(1024);
        assertThat(storedDigest(key)).hasSize(64);

        HttpResponse<String> retry = post("/v1/namespaces/big/tables/wide", key, commit);
        assertThat(retry.statusCode()).isEqualTo(200);
        // not run again: the same metadata file, so the same response, byte for byte
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(metadataLocation(retry.body())).isEqualTo(metadataLocation(currentTable()));
    }

    @Test
    void aRetryAfterALaterCommitGetsTheTablesCurrentState() {
        String key = UUID.randomUUID().toString();
        String commit = setProperty("round", "1");
        HttpResponse<String> first = post("/v1/namespaces/big/tables/wide", key, commit);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(post("/v1/namespaces/big/tables/wide", UUID.randomUUID().toString(), setProperty("later", "2"))
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> retry = post("/v1/namespaces/big/tables/wide", key, commit);

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).contains("\"later\":\"2\"");
        assertThat(metadataLocation(retry.body()))
                .isEqualTo(metadataLocation(currentTable()))
                .isNotEqualTo(metadataLocation(first.body()));
    }

    @Test
    void aSmallResponseIsKeptAndReplayedByteForByte() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"namespace\":[\"small\"],\"properties\":{\"team\":\"sre\"}}";
        HttpResponse<String> first = post("/v1/namespaces", key, body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(storedDigest(key)).isNull();

        HttpResponse<String> retry = post("/v1/namespaces", key, body);
        assertThat(retry.statusCode()).isEqualTo(200); // run again it would be 409
        assertThat(retry.body()).isEqualTo(first.body());
    }

    private static String setProperty(String name, String value) {
        return "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"" + name + "\":\""
                + value + "\"}}]}";
    }

    private String currentTable() {
        HttpResponse<String> loaded = send(
                HttpRequest.newBuilder(uri("/v1/namespaces/big/tables/wide")).GET());
        assertThat(loaded.statusCode()).isEqualTo(200);
        return loaded.body();
    }

    private static String metadataLocation(String loadTableResponse) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"metadata-location\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(loadTableResponse);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> post(String path, String idempotencyKey, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(server.uri() + path.substring(1));
    }

    private int storedResponseBytes(String key) throws Exception {
        return queryRecord(key, "octet_length(response)", ResultSet::getInt);
    }

    private String storedDigest(String key) throws Exception {
        return queryRecord(key, "response_digest", (rs, i) -> rs.getString(i));
    }

    private interface Column<T> {
        T read(ResultSet rs, int index) throws java.sql.SQLException;
    }

    private <T> T queryRecord(String key, String column, Column<T> read) throws Exception {
        URI uri = URI.create(storage); // postgresql://user:password@host:port/db
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
                        "postgres",
                        "postgres");
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + column + " FROM idempotency_records WHERE idem_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("record for " + key).isTrue();
                return read.read(rs, 1);
            }
        }
    }
}
