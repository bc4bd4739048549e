package dev.floe.catalog.server;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.kms.AwsCredentialFiles;
import dev.floe.catalog.vending.S3CredentialVendor;
import dev.floe.catalog.vending.S3RemoteSigning;
import dev.floe.catalog.vending.StorageCredentialVending;
import dev.floe.catalog.vending.VendedCredentialCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Storage access for engines: credential vending from {@code [warehouse] s3_vending_*} (an
 * STS-backed vendor behind a cache when a role is configured, {@link StorageCredentialVending#OFF}
 * otherwise), and S3 remote signing. Tests may
 * register a {@code Clock} named {@value #CLOCK} to move the cache's notion of time.
 */
@Factory
public class VendingBeans {

    public static final String CLOCK = "floe.vending.clock";

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(beans = FloeConfig.class)
    StorageCredentialVending storageCredentialVending(
            FloeConfig config, @Nullable MeterRegistry meters, @Nullable @Named(CLOCK) Clock clock) {
        WarehouseSettings.S3 s3 = config.warehouse().s3();
        if (!s3.vending().enabled()) {
            return StorageCredentialVending.OFF;
        }
        S3CredentialVendor vendor = new S3CredentialVendor(
                S3CredentialVendor.stsClient(s3, catalogCredentials(s3)),
                s3.vending().roleArn(),
                s3.vending().lifetime(),
                meters);
        return StorageCredentialVending.s3(
                new VendedCredentialCache(
                        vendor,
                        clock == null ? Clock.systemUTC() : clock,
                        s3.vending().lifetime()),
                s3,
                vendor);
    }

    /**
     * S3 remote signing from {@code [warehouse] s3_remote_signing}, with the catalog's own S3
     * credentials ({@link #catalogCredentials}).
     */
    @Singleton
    @Requires(beans = FloeConfig.class)
    S3RemoteSigning s3RemoteSigning(FloeConfig config) {
        WarehouseSettings.S3 s3 = config.warehouse().s3();
        if (!s3.remoteSigning()) {
            return S3RemoteSigning.OFF;
        }
        return S3RemoteSigning.s3(s3, catalogCredentials(s3));
    }

    /**
     * The catalog's own AWS identity, as its S3 FileIO uses it: the {@code credentials_dir} files when
     * set (the operator mounts the warehouse Secret there), else the AWS SDK's default chain
     * (environment, profile, web identity).
     */
    private static AwsCredentialsProvider catalogCredentials(WarehouseSettings.S3 s3) {
        return s3.credentialsDir().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : AwsCredentialFiles.provider(
                        Path.of(s3.credentialsDir()), ConfigKeys.WAREHOUSE_CREDENTIALS_DIR.path());
    }
}
