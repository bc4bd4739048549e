package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.WarehouseSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogBackendsTest {

    @Test
    void s3OptionsBecomeIcebergS3FileIoProperties() {
        assertThat(CatalogBackends.fileIoProperties(new WarehouseSettings.S3("http://s3.floe.svc:8080", "eu-west-3", true)))
                .isEqualTo(Map.of("s3.endpoint", "http://s3.floe.svc:8080", "client.region", "eu-west-3",
                        "s3.path-style-access", "true"));
    }

    @Test
    void unsetEndpointAndRegionAreLeftToTheAwsSdk() {
        assertThat(CatalogBackends.fileIoProperties(new WarehouseSettings.S3("", "", false)))
                .isEqualTo(Map.of("s3.path-style-access", "false"));
    }
}
