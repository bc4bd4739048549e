package dev.floe.catalog.server;

import dev.floe.catalog.catalog.LocationPolicy;
import dev.floe.catalog.catalog.WarehouseConfig;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.kms.AwsCredentialFiles;
import dev.floe.catalog.kms.SecretFiles;
import dev.floe.catalog.rest.IdempotencyStore;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.contract.CredentialFiles;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;

/**
 * Builds what stands behind the REST layer: the metadata store (SQLite or PostgreSQL, sealed by
 * envelope encryption), one FloeCatalog per warehouse, and the durable idempotency store. The
 * single place to change when the persistence changes.
 */
@Factory
public class CatalogBackends {

    @Singleton
    @Bean(preDestroy = "close")
    Warehouses warehouses(FloeConfig config, EnvelopeEncryption encryption) {
        MetadataStore store = MetadataStore.open(
                storageUrl(config.storage(), System.getenv()), EncryptionBeans.sealerFactory(encryption));
        Map<String, String> properties = fileIoProperties(config.warehouse().s3());
        properties.putAll(ObjectStoreProperties.adls(
                config.warehouse().adls(), config.warehouse().locations().values()));
        properties.putAll(ObjectStoreProperties.gcs(config.warehouse().gcs()));
        properties.put(LocationPolicy.PLACEMENT_PROPERTY, config.warehouse().tableLocations());
        List<WarehouseConfig> configs = config.warehouse().locations().entrySet().stream()
                .map(e -> new WarehouseConfig(e.getKey(), e.getValue(), properties))
                .toList();
        return new Warehouses(store, configs, config.warehouse().defaultName());
    }

    /**
     * The store's URL with its PostgreSQL credentials: those written in the URL win, then the
     * {@code [storage] username_file}/{@code password_file} files (how the operator passes its
     * Secret), then {@code FLOE_STORAGE_USERNAME}/{@code FLOE_STORAGE_PASSWORD} (local development).
     */
    public static StorageUrl storageUrl(StorageSettings storage, Map<String, String> env) {
        StorageUrl url = StorageUrl.parse(storage.url());
        String user = storage.usernameFile().isEmpty()
                ? null
                : SecretFiles.read(Path.of(storage.usernameFile()), ConfigKeys.STORAGE_USERNAME_FILE.path());
        String password = storage.passwordFile().isEmpty()
                ? null
                : SecretFiles.read(Path.of(storage.passwordFile()), ConfigKeys.STORAGE_PASSWORD_FILE.path());
        return url.withCredentials(user, password).withCredentialsFrom(env);
    }

    /**
     * The Iceberg FileIO properties every warehouse's catalog gets from {@code [warehouse] s3_*}:
     * iceberg-aws's S3FileIO reads them, the other schemes' FileIOs ignore them. Unset endpoint and
     * region are left out, so the AWS SDK's own defaults apply.
     */
    public static Map<String, String> fileIoProperties(WarehouseSettings.S3 s3) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!s3.endpoint().isEmpty()) {
            properties.put(S3FileIOProperties.ENDPOINT, s3.endpoint());
        }
        if (!s3.region().isEmpty()) {
            properties.put(AwsClientProperties.CLIENT_REGION, s3.region());
        }
        properties.put(S3FileIOProperties.PATH_STYLE_ACCESS, Boolean.toString(s3.pathStyleAccess()));
        if (!s3.credentialsDir().isEmpty()) {
            // Static credentials from the mounted files; without them S3FileIO uses the AWS SDK's
            // default chain (environment variables, profile, instance role).
            Map<String, String> files =
                    AwsCredentialFiles.read(Path.of(s3.credentialsDir()), ConfigKeys.WAREHOUSE_CREDENTIALS_DIR.path());
            properties.put(S3FileIOProperties.ACCESS_KEY_ID, files.get(CredentialFiles.AWS_ACCESS_KEY_ID));
            properties.put(S3FileIOProperties.SECRET_ACCESS_KEY, files.get(CredentialFiles.AWS_SECRET_ACCESS_KEY));
            if (files.containsKey(CredentialFiles.AWS_SESSION_TOKEN)) {
                properties.put(S3FileIOProperties.SESSION_TOKEN, files.get(CredentialFiles.AWS_SESSION_TOKEN));
            }
        }
        return properties;
    }

    /** {@code floe.idempotency.*}, parsed strictly: see {@link IdempotencySettings#from}. */
    @Singleton
    IdempotencySettings idempotencySettings(Environment environment) {
        return IdempotencySettings.from(environment);
    }

    /**
     * Created at start-up (not at the first mutation), so bad {@code floe.idempotency.*} values stop
     * the start; only in a context that serves a catalog (TLS- or security-only test contexts have no
     * FloeConfig, and an eager bean would fail their start).
     */
    @Context
    @Requires(beans = FloeConfig.class)
    IdempotencyStore idempotencyStore(Warehouses warehouses, IdempotencySettings settings) {
        return new StoreIdempotencyStore(warehouses.store().idempotency(), Clock.systemUTC(), settings);
    }
}
