package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.store.StorageUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogBackendsTest {

    @Test
    void s3OptionsBecomeIcebergS3FileIoProperties() {
        assertThat(CatalogBackends.fileIoProperties(
                        new WarehouseSettings.S3("http://s3.floe.svc:8080", "eu-west-3", true)))
                .isEqualTo(Map.of(
                        "s3.endpoint",
                        "http://s3.floe.svc:8080",
                        "client.region",
                        "eu-west-3",
                        "s3.path-style-access",
                        "true"));
    }

    @Test
    void unsetEndpointAndRegionAreLeftToTheAwsSdk() {
        assertThat(CatalogBackends.fileIoProperties(new WarehouseSettings.S3("", "", false)))
                .isEqualTo(Map.of("s3.path-style-access", "false"));
    }

    @TempDir
    Path dir;

    @Test
    void s3KeysFromACredentialsDirectoryBecomeS3FileIoStaticCredentials() throws Exception {
        Files.writeString(dir.resolve("AWS_ACCESS_KEY_ID"), "AKIAFILE\n");
        Files.writeString(dir.resolve("AWS_SECRET_ACCESS_KEY"), "s3-secret-from-file\n");
        assertThat(CatalogBackends.fileIoProperties(new WarehouseSettings.S3("", "", true, dir.toString())))
                .containsEntry("s3.access-key-id", "AKIAFILE")
                .containsEntry("s3.secret-access-key", "s3-secret-from-file")
                .doesNotContainKey("s3.session-token");
    }

    @Test
    void postgresCredentialsFromFilesBeatTheEnvironmentAndTheUrlBeatsBoth() throws Exception {
        Path user = Files.writeString(dir.resolve("username"), "file-user\n");
        Path password = Files.writeString(dir.resolve("password"), "file-password\n");
        Map<String, String> env = Map.of("FLOE_STORAGE_USERNAME", "env-user", "FLOE_STORAGE_PASSWORD", "env-password");

        StorageUrl fromFiles = CatalogBackends.storageUrl(
                new StorageSettings("postgresql://db:5432/floe", user.toString(), password.toString()), env);
        assertThat(fromFiles.user()).isEqualTo("file-user");
        assertThat(fromFiles.password()).isEqualTo("file-password");
        assertThat(fromFiles.toString()).doesNotContain("file-password");

        StorageUrl fromEnv = CatalogBackends.storageUrl(new StorageSettings("postgresql://db:5432/floe"), env);
        assertThat(fromEnv.user()).isEqualTo("env-user");
        assertThat(fromEnv.password()).isEqualTo("env-password");

        StorageUrl inUrl = CatalogBackends.storageUrl(
                new StorageSettings("postgresql://u:p@db:5432/floe", user.toString(), password.toString()), env);
        assertThat(inUrl.user()).isEqualTo("u");
        assertThat(inUrl.password()).isEqualTo("p");
    }
}
