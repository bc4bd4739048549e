package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.rest.TestCatalogServers;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.testing.AzuriteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.azure.AzureProperties;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code abfss://} warehouse on Azurite: the catalog's ADLSFileIO is pointed at the emulator by
 * {@code [warehouse] adls_endpoint} and signs with the account key from
 * {@code adls_account_key_file}. Azurite has no Data Lake (DFS) API; this shows that what the
 * catalog and Iceberg's clients do to a table (write, read, delete files) needs only the Blob API
 * that ADLSFileIO's SDK falls back to.
 */
class AdlsWarehouseIT {

    private static final String CONTAINER = "warehouse";

    @TempDir
    static Path dir;

    private static AzuriteServer azurite;

    @BeforeAll
    static void startAzurite() {
        azurite = new AzuriteServer(dir).start();
        azurite.createContainer(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void javaClientCreatesAppendsScansEvolvesAndPurgesATableOnAzurite() throws Exception {
        String root = "abfss://" + CONTAINER + "@" + AzuriteServer.ACCOUNT_HOST + "/tenant";
        Path keyFile = Files.writeString(dir.resolve("account-key"), AzuriteServer.ACCOUNT_KEY + "\n");
        try (FloeServer server = TestCatalogServers.startSqlite(
                        dir.resolve("catalog"),
                        Map.of(
                                ConfigKeys.WAREHOUSE_LOCATION, root,
                                ConfigKeys.WAREHOUSE_ADLS_ENDPOINT, azurite.endpoint(),
                                ConfigKeys.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE, keyFile.toString()));
                RESTCatalog client = TestCatalogServers.client(
                        server,
                        Map.of(
                                CatalogProperties.FILE_IO_IMPL,
                                "org.apache.iceberg.azure.adlsv2.ADLSFileIO",
                                AzureProperties.ADLS_CONNECTION_STRING_PREFIX + AzuriteServer.ACCOUNT_HOST,
                                azurite.endpoint(),
                                AzureProperties.ADLS_SHARED_KEY_ACCOUNT_NAME,
                                AzuriteServer.ACCOUNT,
                                AzureProperties.ADLS_SHARED_KEY_ACCOUNT_KEY,
                                AzuriteServer.ACCOUNT_KEY))) {
            WarehouseLifecycle.run(client, root, "tenant", prefix -> azurite.blobs(CONTAINER, prefix));
        }
        assertThat(azurite.blobs(CONTAINER, "tenant/")).isEmpty();
    }
}
