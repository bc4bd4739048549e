package dev.floe.catalog.cli;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.store.StorageUrl;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which metadata store an offline command ({@code backup}, {@code restore}, {@code migrate}) works on: {@code
 * --storage}, else {@code [storage] url} of {@code --config} or {@code FLOE_STORAGE_URL}, as {@code
 * floe serve} resolves it; PostgreSQL credentials may come from {@code FLOE_STORAGE_USERNAME}/{@code
 * _PASSWORD}. Only the storage key is read: these commands need no KMS or TLS settings.
 */
final class StoreOptions {

    @Option(
            names = "--storage",
            description = "Metadata store: file:///dir (SQLite) or jdbc:postgresql://… / postgresql://…")
    String storage;

    @Option(
            names = "--config",
            description =
                    "TOML configuration file, as for floe serve (only [storage] url, username_file and password_file "
                            + "are read, and for an s3:// backup location the [warehouse] s3_* settings and credentials_dir).")
    Path config;

    /**
     * The FileIO properties of the warehouse's S3 client ({@code [warehouse] s3_*} and
     * {@code credentials_dir} of {@code --config}, or their {@code FLOE_*} variables), for backups in
     * the warehouse's object store. Unset: the AWS SDK's defaults.
     */
    Map<String, String> objectStoreProperties(Map<String, String> environment) {
        ConfigLoader loader = new ConfigLoader();
        if (config != null) {
            loader.file(config);
        }
        return dev.floe.catalog.server.CatalogBackends.fileIoProperties(
                loader.environment(environment).warehouseS3());
    }

    StorageUrl resolve(Map<String, String> environment) {
        ConfigLoader loader = new ConfigLoader();
        if (config != null) {
            loader.file(config);
        }
        String value = loader.environment(environment)
                .flag(ConfigKeys.STORAGE_URL, "--storage", storage)
                .value(ConfigKeys.STORAGE_URL);
        if (value.startsWith("file://./")) { // relative, as floe serve's default: against the working directory
            value = Path.of(value.substring("file://".length()))
                    .toAbsolutePath()
                    .normalize()
                    .toUri()
                    .toString();
        }
        try {
            // [storage] username_file/password_file as floe serve reads them: how the operator's backup
            // pods get the PostgreSQL credentials (files, no environment variables)
            return dev.floe.catalog.server.CatalogBackends.storageUrl(
                    new dev.floe.catalog.config.StorageSettings(
                            value,
                            loader.value(ConfigKeys.STORAGE_USERNAME_FILE),
                            loader.value(ConfigKeys.STORAGE_PASSWORD_FILE)),
                    environment);
        } catch (IllegalArgumentException e) {
            throw new dev.floe.catalog.config.ConfigException(e.getMessage());
        }
    }
}
