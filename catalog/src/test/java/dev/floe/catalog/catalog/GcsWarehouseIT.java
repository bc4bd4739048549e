package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.rest.TestCatalogServers;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.testing.FakeGcsServer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.gcp.GCPProperties;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code gs://} warehouse on fake-gcs-server (Cloud Storage JSON API): the catalog's GCSFileIO is
 * configured by {@code [warehouse] gcs_endpoint}, {@code gcs_project_id} and {@code gcs_no_auth}.
 */
class GcsWarehouseIT {

    private static final String BUCKET = "floe-warehouse";

    @TempDir
    static Path dir;

    private static FakeGcsServer gcs;

    @BeforeAll
    static void startGcs() {
        gcs = new FakeGcsServer(dir).start();
        gcs.createBucket(BUCKET);
    }

    @AfterAll
    static void stopGcs() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @Test
    void javaClientCreatesAppendsScansEvolvesAndPurgesATableOnGcs() throws Exception {
        String root = "gs://" + BUCKET + "/tenant";
        try (FloeServer server = TestCatalogServers.startSqlite(
                        dir.resolve("catalog"),
                        Map.of(
                                ConfigKeys.WAREHOUSE_LOCATION,
                                root,
                                ConfigKeys.WAREHOUSE_GCS_ENDPOINT,
                                gcs.endpoint(),
                                ConfigKeys.WAREHOUSE_GCS_PROJECT_ID,
                                FakeGcsServer.PROJECT,
                                ConfigKeys.WAREHOUSE_GCS_NO_AUTH,
                                "true"));
                RESTCatalog client = TestCatalogServers.client(
                        server,
                        Map.of(
                                CatalogProperties.FILE_IO_IMPL,
                                "org.apache.iceberg.gcp.gcs.GCSFileIO",
                                GCPProperties.GCS_SERVICE_HOST,
                                gcs.endpoint(),
                                GCPProperties.GCS_PROJECT_ID,
                                FakeGcsServer.PROJECT,
                                GCPProperties.GCS_NO_AUTH,
                                "true"))) {
            WarehouseLifecycle.run(client, root, "tenant", prefix -> gcs.objects(BUCKET, prefix));
        }
        assertThat(gcs.objects(BUCKET, "tenant/")).isEmpty();
    }
}
