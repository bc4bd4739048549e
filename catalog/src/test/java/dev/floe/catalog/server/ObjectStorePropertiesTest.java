package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.WarehouseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStorePropertiesTest {

    @Test
    void adlsEndpointIsGivenForTheAccountHostOfEveryAdlsWarehouseAndTheKeyComesFromItsFile(@TempDir Path dir)
            throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "c2VjcmV0\n");
        assertThat(ObjectStoreProperties.adls(
                        new WarehouseSettings.Adls("http://127.0.0.1:10000/acct", key.toString()),
                        List.of(
                                "file:///data",
                                "abfss://wh@acct.dfs.core.windows.net/t",
                                "wasbs://b@acct.blob.core.windows.net")))
                .isEqualTo(Map.of(
                        "adls.connection-string.acct.dfs.core.windows.net", "http://127.0.0.1:10000/acct",
                        "adls.connection-string.acct.blob.core.windows.net", "http://127.0.0.1:10000/acct",
                        "adls.auth.shared-key.account.name", "acct",
                        "adls.auth.shared-key.account.key", "c2VjcmV0"));
    }

    @Test
    void unsetAdlsOptionsLeaveAzureDefaults() {
        assertThat(ObjectStoreProperties.adls(
                        WarehouseSettings.Adls.DEFAULT, List.of("abfss://wh@acct.dfs.core.windows.net/t")))
                .isEmpty();
        assertThat(ObjectStoreProperties.adlsHost("gs://bucket/x")).isNull();
    }

    @Test
    void gcsOptionsBecomeGcsFileIoProperties() {
        assertThat(ObjectStoreProperties.gcs(new WarehouseSettings.Gcs("http://127.0.0.1:4443", "p1", true)))
                .isEqualTo(Map.of(
                        "gcs.service.host", "http://127.0.0.1:4443", "gcs.project-id", "p1", "gcs.no-auth", "true"));
        assertThat(ObjectStoreProperties.gcs(WarehouseSettings.Gcs.DEFAULT)).isEmpty();
    }
}
