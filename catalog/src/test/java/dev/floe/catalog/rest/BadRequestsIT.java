package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.server.FloeServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests over a raw socket (so nothing client-side cleans them up): each must get a
 * 4xx Iceberg ErrorModel whose code matches the status, and never a 500 or a stack trace.
 */
class BadRequestsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA =
            "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
    private static Path dir;
    private static FloeServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("floe-bad-input");
        server = TestCatalogServers.startSqlite(dir);
        assertThat(send("POST", "/v1/namespaces", "application/json", "{\"namespace\":[\"db\"]}").status)
                .isEqualTo(200);
        assertThat(send(
                                "POST",
                                "/v1/namespaces/db/tables",
                                "application/json",
                                "{\"name\":\"t\",\"schema\":" + SCHEMA + "}")
                        .status)
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        TestFiles.deleteRecursively(dir);
    }

    static Stream<Arguments> badRequests() {
        String longName = "x".repeat(10_000);
        String huge = "{\"namespace\":[\"" + "a".repeat(11 * 1024 * 1024) + "\"]}";
        return Stream.of(
                Arguments.of("broken JSON", "POST", "/v1/namespaces", "application/json", "{\"namespace\":[\"x\"", 400),
                Arguments.of("JSON of the wrong shape", "POST", "/v1/namespaces", "application/json", "[1,2,3]", 400),
                Arguments.of("missing namespace field", "POST", "/v1/namespaces", "application/json", "{}", 400),
                Arguments.of(
                        "missing table schema",
                        "POST",
                        "/v1/namespaces/db/tables",
                        "application/json",
                        "{\"name\":\"nos\"}",
                        400),
                Arguments.of("empty body", "POST", "/v1/namespaces", "application/json", "", 400),
                Arguments.of("body over 10 MiB", "POST", "/v1/namespaces", "application/json", huge, 413),
                Arguments.of(
                        "namespace with slash",
                        "POST",
                        "/v1/namespaces",
                        "application/json",
                        "{\"namespace\":[\"a/b\"]}",
                        400),
                Arguments.of(
                        "namespace ..", "POST", "/v1/namespaces", "application/json", "{\"namespace\":[\"..\"]}", 400),
                Arguments.of(
                        "table name with NUL",
                        "POST",
                        "/v1/namespaces/db/tables",
                        "application/json",
                        "{\"name\":\"a\\u0000b\",\"schema\":" + SCHEMA + "}",
                        400),
                Arguments.of(
                        "table name with slash",
                        "POST",
                        "/v1/namespaces/db/tables",
                        "application/json",
                        "{\"name\":\"a/b\",\"schema\":" + SCHEMA + "}",
                        400),
                Arguments.of(
                        "10k-character table name",
                        "POST",
                        "/v1/namespaces/db/tables",
                        "application/json",
                        "{\"name\":\"" + longName + "\",\"schema\":" + SCHEMA + "}",
                        400),
                Arguments.of(
                        "10k-character name in path", "GET", "/v1/namespaces/db/tables/" + longName, null, null, 400),
                Arguments.of("encoded NUL in path", "GET", "/v1/namespaces/db/tables/a%00b", null, null, 400),
                Arguments.of("encoded slash in path", "GET", "/v1/namespaces/db/tables/a%2Fb", null, null, 400),
                Arguments.of("dot-dot in path", "GET", "/v1/namespaces/db/tables/..", null, null, 400),
                Arguments.of("wrong method", "PUT", "/v1/namespaces", "application/json", "{}", 405),
                Arguments.of(
                        "wrong method on table", "PATCH", "/v1/namespaces/db/tables/t", "application/json", "{}", 405),
                Arguments.of(
                        "wrong content type", "POST", "/v1/namespaces", "text/plain", "{\"namespace\":[\"x\"]}", 415),
                Arguments.of(
                        "unknown requirement type",
                        "POST",
                        "/v1/namespaces/db/tables/t",
                        "application/json",
                        "{\"requirements\":[{\"type\":\"assert-bogus\"}],\"updates\":[]}",
                        400),
                Arguments.of(
                        "unknown update action",
                        "POST",
                        "/v1/namespaces/db/tables/t",
                        "application/json",
                        "{\"requirements\":[],\"updates\":[{\"action\":\"explode\"}]}",
                        400),
                Arguments.of(
                        "failed requirement",
                        "POST",
                        "/v1/namespaces/db/tables/t",
                        "application/json",
                        "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"00000000-0000-0000-0000-000000000000\"}],\"updates\":[]}",
                        409),
                Arguments.of("bad snapshots mode", "GET", "/v1/namespaces/db/tables/t?snapshots=some", null, null, 400),
                Arguments.of("bad page token", "GET", "/v1/namespaces?pageToken=abc", null, null, 400),
                Arguments.of("negative page size", "GET", "/v1/namespaces?pageSize=-5", null, null, 400),
                Arguments.of(
                        "bad purge flag", "DELETE", "/v1/namespaces/db/tables/t?purgeRequested=maybe", null, null, 400),
                Arguments.of(
                        "malformed idempotency key",
                        "POST",
                        "/v1/namespaces",
                        "application/json",
                        "{\"namespace\":[\"idem\"]}",
                        400),
                Arguments.of("unknown warehouse", "GET", "/v1/config?warehouse=nope", null, null, 404),
                Arguments.of("unknown path", "GET", "/v1/nothing/here/at/all/really", null, null, 404),
                Arguments.of("missing table", "GET", "/v1/namespaces/db/tables/missing", null, null, 404),
                Arguments.of("drop non-empty namespace", "DELETE", "/v1/namespaces/db", null, null, 409));
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("badRequests")
    void answersWithErrorModel(String name, String method, String path, String contentType, String body, int expected)
            throws Exception {
        Response response = name.equals("malformed idempotency key")
                ? send(method, path, contentType, body, "Idempotency-Key: not-a-uuid\r\n")
                : send(method, path, contentType, body);
        assertThat(response.status).as(name).isEqualTo(expected);
        JsonNode error = JSON.readTree(response.body).get("error");
        assertThat(error).as("ErrorModel body of: " + response.body).isNotNull();
        assertThat(error.get("code").asInt()).isEqualTo(expected);
        assertThat(error.get("type").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body)
                .doesNotContain("\tat ")
                .doesNotContain("dev.floe.")
                .doesNotContain("Exception:");
    }

    record Response(int status, String body) {}

    static Response send(String method, String path, String contentType, String body) throws Exception {
        return send(method, path, contentType, body, "");
    }

    /** One HTTP/1.1 request on a raw socket: the path goes out byte for byte as given. */
    static Response send(String method, String path, String contentType, String body, String extraHeaders)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nConnection: close\r\n")
                    .append(extraHeaders);
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(payload.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(payload);
                out.flush();
            } catch (java.io.IOException e) {
                // the server may answer 413 and close before reading an oversized body
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            String raw = received.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            int split = raw.indexOf("\r\n\r\n");
            String rest = raw.substring(split + 4);
            if (raw.substring(0, split).toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Response(status, rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", pos);
            int size = Integer.parseInt(chunked.substring(pos, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            pos = eol + 2 + size + 2;
        }
    }
}
