package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.server.FloeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog's own files, its SQLite database ({@code floe.db}) and its development key ring, lie
 * beside the warehouse on the same disk: no REST call may make the catalog write, read or delete
 * them. Each attempt is one an ordinary writer could make before locations were confined (a table
 * whose location is the data directory; a statistics file that is {@code floe.db}, then a purge).
 */
class CatalogFilesUnreachableIT {

    private static Path dir;
    private static FloeServer server;
    private static final Contract API = new Contract();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("floe-own-files");
        server = TestCatalogServers.startSqlite(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private static Path database() {
        return dir.resolve("db").resolve("floe.db");
    }

    private static List<Path> keyFiles() throws Exception {
        try (var files = Files.list(dir.resolve("keys"))) {
            return files.toList();
        }
    }

    @Test
    void aTableCannotBeCreatedInTheDataDirectoryOrAroundIt() throws Exception {
        for (Path target : List.of(dir.resolve("db"), dir, dir.resolve("keys"))) {
            LocationConfinementContract.Response response =
                    API.createTable("own", "t", target.toUri().toString(), Map.of());
            LocationConfinementContract.assertForbidden(response);
        }
        assertThat(Files.list(dir.resolve("db")).map(p -> p.getFileName().toString()))
                .doesNotContain("metadata");
        assertThat(API.send("GET", "/v1/namespaces", null).status()).isEqualTo(200);
    }

    @Test
    void aStatisticsFileNamingTheDatabaseIsRefusedAndAPurgeLeavesTheDatabaseAndKeysAlone() throws Exception {
        List<Path> keys = keyFiles();
        assertThat(keys).isNotEmpty();
        assertThat(API.createTable("purge", "t", null, Map.of()).status()).isEqualTo(200);
        for (Path target : List.of(database(), keys.get(0))) {
            ObjectNode stats = LocationConfinementContract.JSON
                    .createObjectNode()
                    .put("snapshot-id", 1)
                    .put("statistics-path", target.toUri().toString())
                    .put("file-size-in-bytes", 10)
                    .put("file-footer-size-in-bytes", 2);
            stats.set("blob-metadata", LocationConfinementContract.JSON.createArrayNode());
            LocationConfinementContract.assertForbidden(API.commit(
                    "purge",
                    "t",
                    LocationConfinementContract.update("set-statistics")
                            .put("snapshot-id", 1)
                            .set("statistics", stats)));
            ObjectNode partitionStats = LocationConfinementContract.JSON
                    .createObjectNode()
                    .put("snapshot-id", 1)
                    .put("statistics-path", target.toUri().toString())
                    .put("file-size-in-bytes", 10);
            LocationConfinementContract.assertForbidden(API.commit(
                    "purge",
                    "t",
                    LocationConfinementContract.update("set-partition-statistics")
                            .set("partition-statistics", partitionStats)));
        }
        assertThat(API.send("DELETE", "/v1/namespaces/purge/tables/t?purgeRequested=true", null)
                        .status())
                .isEqualTo(204);
        assertThat(database()).exists();
        for (Path key : keys) {
            assertThat(key).exists();
        }
        assertThat(API.send("GET", "/v1/namespaces", null).status()).isEqualTo(200);
    }

    @Test
    void theDatabaseCannotBeRegisteredAsMetadataNorWrittenThroughAWritePath() throws Exception {
        LocationConfinementContract.Response register =
                API.register("reg", "t", database().toUri().toString());
        LocationConfinementContract.assertForbidden(register);
        assertThat(register.body()).doesNotContain("SQLite");
        LocationConfinementContract.assertForbidden(API.createTable(
                "reg",
                "w",
                null,
                Map.of("write.metadata.path", dir.resolve("db").toUri().toString())));
        LocationConfinementContract.assertForbidden(
                API.createNamespace("keysns", dir.resolve("keys").toUri().toString()));
        assertThat(Files.list(dir.resolve("db")).filter(p -> p.toString().endsWith(".metadata.json")))
                .isEmpty();
    }

    /** The contract's HTTP helpers, pointed at this class's server. */
    private static final class Contract extends LocationConfinementContract {
        @Override
        FloeServer server() {
            return server;
        }

        @Override
        String root() {
            return dir.resolve("warehouse").toUri().toString();
        }

        @Override
        String outside() {
            return dir.toUri().toString();
        }

        @Override
        boolean existsUnder(String location) {
            return false;
        }

        @Override
        void write(String location, String content) throws Exception {
            Path file = Path.of(java.net.URI.create(location));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        }
    }
}
