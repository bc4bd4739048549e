package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.cli.FloeCommand;
import dev.floe.catalog.security.ApiKeyCredential;
import dev.floe.catalog.server.FloeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key management through the real server: data written with Iceberg's REST client is sealed at
 * rest (the SQLite files hold none of it in clear), {@code GET /management/v1/keys} lists the DEK
 * ring, and {@code floe admin rotate-keys --reencrypt} rotates online after the master key ring got
 * a second version, printing one line of JSON; a failing rotation exits non-zero.
 */
class KeyManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "marker-keys-it-91c2";

    @TempDir
    Path dir;

    private record Cli(int exit, JsonNode line) {}

    private static Cli rotateKeys(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            String[] full = Stream.concat(Stream.of("admin", "rotate-keys"), Stream.of(args))
                    .toArray(String[]::new);
            exit = FloeCommand.execute(full);
        } finally {
            System.setOut(original);
        }
        // The server runs in this JVM and logs to stdout too: the command's own output is its JSON line.
        String[] lines = Stream.of(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(l -> l.startsWith("{\"ok\":"))
                .toArray(String[]::new);
        assertThat(lines).hasSize(1);
        return new Cli(exit, JSON.readTree(lines[0]));
    }

    @Test
    void sealsAtRestListsKeysAndRotatesOnlineThroughTheCli() throws Exception {
        TestCatalogServers.AdminServer started =
                TestCatalogServers.startWithAdmin(dir, dir.resolve("db").toUri().toString());
        ApiKeyCredential admin = started.admin();
        Path adminKeyFile = started.adminKeyFile();
        Path ring = started.keyRing();
        try (started) {
            FloeServer server = started.server();
            RESTCatalog client =
                    TestCatalogServers.client(server, Map.of("header.Authorization", "Bearer " + admin.token()));
            Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
            client.createNamespace(Namespace.of("sales"), new HashMap<>(Map.of("owner", MARKER)));
            client.createTable(TableIdentifier.of("sales", "orders"), schema);

            // What a stolen disk or backup shows: no property value, no metadata location.
            StringBuilder raw = new StringBuilder();
            try (Stream<Path> files = Files.walk(dir.resolve("db"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    raw.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            assertThat(raw.toString()).doesNotContain(MARKER).doesNotContain("orders/metadata");

            JsonNode keys = get(server, "/management/v1/keys", admin);
            assertThat(keys.path("provider").asText()).isEqualTo("local");
            assertThat(keys.path("keys")).hasSize(1);
            assertThat(keys.path("keys").get(0).path("state").asText()).isEqualTo("ACTIVE");
            assertThat(keys.path("keys").get(0).path("rows").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(keys.toString()).doesNotContain("wrapped");

            // The master key ring gets version 2; the running catalog rotates onto it.
            byte[] v2 = new byte[32];
            new SecureRandom().nextBytes(v2);
            Files.writeString(ring, "2:" + Base64.getEncoder().encodeToString(v2) + "\n", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(ring, FileTime.from(Instant.now().plusSeconds(5)));

            Cli cli = rotateKeys(
                    "--endpoint", server.uri().toString(), "--api-key-file", adminKeyFile.toString(), "--reencrypt");
            assertThat(cli.exit()).as(cli.line().toString()).isZero();
            assertThat(cli.line().path("ok").asBoolean()).isTrue();
            assertThat(cli.line().path("masterKeyVersion").asText()).isEqualTo("2");
            assertThat(cli.line().path("rewrapped").asInt()).isEqualTo(1);
            assertThat(cli.line().path("resealed").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(cli.line().path("remaining").asInt()).isZero();
            // Default grace period: the retired DEK is destroyed by a later run, not this one.
            assertThat(cli.line().path("pendingDestroy")).hasSize(1);
            assertThat(cli.line().toString()).doesNotContain(admin.secret());

            JsonNode after = get(server, "/management/v1/keys", admin);
            assertThat(after.path("keys")).hasSize(2);
            assertThat(after.path("keys").get(0).path("state").asText()).isEqualTo("RETIRED");
            assertThat(after.path("keys").get(0).path("rows").asInt()).isZero();
            assertThat(after.path("keys").get(1).path("state").asText()).isEqualTo("ACTIVE");
            assertThat(after.path("keys").get(1).path("masterKeyVersion").asText())
                    .isEqualTo("2");

            assertThat(client.loadNamespaceMetadata(Namespace.of("sales"))).containsEntry("owner", MARKER);
            assertThat(client.loadTable(TableIdentifier.of("sales", "orders"))
                            .schema()
                            .asStruct())
                    .isEqualTo(schema.asStruct());
        }

        // Nothing listening any more: the command says so on one line and exits non-zero.
        Cli failed = rotateKeys("--endpoint", "http://127.0.0.1:1", "--api-key-file", adminKeyFile.toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.line().path("ok").asBoolean()).isFalse();
        assertThat(failed.line().path("error").asText()).isNotBlank();
    }

    private static JsonNode get(FloeServer server, String path, ApiKeyCredential key) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(server.uri().toString().replaceAll("/$", "") + path))
                                .header("Authorization", "Bearer " + key.token())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
