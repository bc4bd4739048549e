package dev.floe.catalog.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.rest.TestCatalogServers;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.testing.AzuriteServer;
import dev.floe.catalog.testing.FakeGcsServer;
import dev.floe.catalog.testing.PyIcebergScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyIceberg 0.12 (installed by {@code tools/clients/install.sh}) on an {@code abfss://} warehouse on
 * Azurite and a {@code gs://} warehouse on fake-gcs-server, through the catalog: create, append,
 * evolve, append, scan, drop with purge, checked against the emulator's own listing. The catalog
 * answers no ADLS or GCS settings in loadTable (there is no ADLS or GCS vending), so the client is
 * given the emulator's endpoint and its key itself, as {@code AdlsWarehouseIT} and
 * {@code GcsWarehouseIT} do for the Java client.
 */
class PyIcebergAdlsGcsIT {

    private static final String CONTAINER = "warehouse";
    private static final String BUCKET = "floe-warehouse";

    @TempDir
    static Path dir;

    private static AzuriteServer azurite;
    private static FakeGcsServer gcs;
    private static PyIcebergScript pyiceberg;

    @BeforeAll
    static void start() {
        azurite = new AzuriteServer(dir).start();
        azurite.createContainer(CONTAINER);
        gcs = new FakeGcsServer(dir).start();
        gcs.createBucket(BUCKET);
        pyiceberg = new PyIcebergScript(dir.resolve("clients"));
    }

    @AfterAll
    static void stop() {
        if (azurite != null) {
            azurite.close();
        }
        if (gcs != null) {
            gcs.close();
        }
    }

    /** PyIceberg's default FileIO for abfss is FsspecFileIO (adlfs), which speaks the Blob API that Azurite has. */
    @Test
    void pyIcebergCreatesAppendsScansEvolvesAndPurgesATableOnAzurite() throws Exception {
        String root = "abfss://" + CONTAINER + "@" + AzuriteServer.ACCOUNT_HOST + "/tenant";
        Path keyFile = Files.writeString(dir.resolve("account-key"), AzuriteServer.ACCOUNT_KEY + "\n");
        String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=" + azurite.endpoint() + ";";
        try (FloeServer server = TestCatalogServers.startSqlite(
                dir.resolve("adls-catalog"),
                Map.of(
                        ConfigKeys.WAREHOUSE_LOCATION, root,
                        ConfigKeys.WAREHOUSE_ADLS_ENDPOINT, azurite.endpoint(),
                        ConfigKeys.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE, keyFile.toString()))) {
            lifecycle(
                    server,
                    Map.of("adls.connection-string", connectionString),
                    root,
                    "FsspecFileIO",
                    prefix -> azurite.blobs(CONTAINER, prefix));
        }
    }

    /**
     * PyIceberg's only FileIO for gs is PyArrowFileIO; pyarrow's GcsFileSystem is pointed at the
     * emulator by {@code gcs.service.host} and given a placeholder token (fake-gcs-server checks none),
     * since PyIceberg has no property for anonymous access.
     */
    @Test
    void pyIcebergCreatesAppendsScansEvolvesAndPurgesATableOnFakeGcs() throws Exception {
        String root = "gs://" + BUCKET + "/tenant";
        try (FloeServer server = TestCatalogServers.startSqlite(
                dir.resolve("gcs-catalog"),
                Map.of(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        root,
                        ConfigKeys.WAREHOUSE_GCS_ENDPOINT,
                        gcs.endpoint(),
                        ConfigKeys.WAREHOUSE_GCS_PROJECT_ID,
                        FakeGcsServer.PROJECT,
                        ConfigKeys.WAREHOUSE_GCS_NO_AUTH,
                        "true"))) {
            String expiresAt =
                    Long.toString(Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
            lifecycle(
                    server,
                    Map.of(
                            "gcs.service.host",
                            gcs.endpoint(),
                            "gcs.oauth2.token",
                            "unchecked-by-fake-gcs-server",
                            "gcs.oauth2.token-expires-at",
                            expiresAt),
                    root,
                    "PyArrowFileIO",
                    prefix -> gcs.objects(BUCKET, prefix));
        }
    }

    /**
     * @param root    the warehouse location; its part after the bucket or container is {@code tenant}
     * @param listing object names under a key prefix, as the emulator lists them
     */
    private static void lifecycle(
            FloeServer server,
            Map<String, String> clientProperties,
            String root,
            String fileIo,
            Function<String, List<String>> listing) {
        Map<String, String> env = Map.of(
                "FLOE_URI",
                server.uri().toString().replaceAll("/$", ""),
                "FLOE_NAMESPACE",
                "py",
                "FLOE_TABLE",
                "events",
                "FLOE_CLIENT_PROPERTIES",
                PyIcebergScript.json(clientProperties));
        String location = root + "/py/events";
        String tableKey = "tenant/py/events/";
        Function<String, String> key = l -> l.substring(l.indexOf(tableKey));

        JsonNode written = pyiceberg.run("pyiceberg_object_store_check.py", env, "write");
        assertThat(written.get("io").asText()).isEqualTo(fileIo);
        assertThat(written.get("rows").asInt()).isEqualTo(4);
        assertThat(written.get("ids").toString()).isEqualTo("[1,2,3,4]");
        assertThat(written.get("notes").toString()).isEqualTo("[\"x\"]");
        assertThat(written.get("columns").toString()).isEqualTo("[\"id\",\"kind\",\"note\"]");
        assertThat(written.get("snapshots").asInt()).isEqualTo(2);
        assertThat(written.get("location").asText()).isEqualTo(location);
        assertThat(written.get("data_files"))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.asText()).startsWith(location + "/data/"));

        List<String> objects = listing.apply(tableKey);
        assertThat(objects)
                .as("the catalog's metadata files: create, append, add column, append")
                .filteredOn(k -> k.endsWith(".metadata.json"))
                .hasSize(4)
                .contains(key.apply(written.get("metadata_location").asText()));
        assertThat(objects)
                .as("PyIceberg's manifest lists, one per snapshot")
                .filteredOn(k -> k.startsWith(tableKey + "metadata/snap-"))
                .hasSize(2);
        written.get("data_files").forEach(f -> assertThat(objects).contains(key.apply(f.asText())));

        JsonNode purged = pyiceberg.run("pyiceberg_object_store_check.py", env, "purge");
        assertThat(purged.get("exists_after_purge").asBoolean()).isFalse();
        assertThat(listing.apply(tableKey))
                .as("the catalog's purge deleted every file of the table")
                .isEmpty();
    }
}
