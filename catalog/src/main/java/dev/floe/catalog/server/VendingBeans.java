package dev.floe.catalog.server;

import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.vending.S3CredentialVendor;
import dev.floe.catalog.vending.StorageCredentialVending;
import dev.floe.catalog.vending.VendedCredentialCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Credential vending for engines, from {@code [warehouse] s3_vending_*}: an STS-backed vendor behind
 * a cache when a role is configured, {@link StorageCredentialVending#OFF} otherwise. Tests may
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
                S3CredentialVendor.stsClient(s3),
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
}
