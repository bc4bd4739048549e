package dev.floe.catalog.server;

import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.config.KmsSettings;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.KmsMetrics;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.SealedValueRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Builds the envelope-encryption service from the {@code [kms]} configuration: the key provider
 * (guarded by timeout, retries and circuit breaker) and the DEK ring once the metadata store opens.
 * Open the store with {@link #sealerFactory(EnvelopeEncryption)} so that the store's sealed
 * columns, the DEK ring and the rotation endpoints share one instance.
 */
@Factory
public class EncryptionBeans {

    @Singleton
    @Bean(preDestroy = "close")
    EnvelopeEncryption envelopeEncryption(
            FloeConfig config,
            @io.micronaut.context.annotation.Value("${floe.dev.key-ring-file:}") String devKeyRingFile,
            @Nullable KmsEnvironment kmsEnvironment,
            @Nullable MeterRegistry meterRegistry) {
        KeyProviderSettings settings = providerSettings(config.kms());
        if (!devKeyRingFile.isEmpty()) {
            // --dev without a master key in the environment: the development key ring (DevMasterKey)
            Map<String, String> keys = new HashMap<>(settings.keys());
            keys.put("key_ring_file", devKeyRingFile);
            settings = new KeyProviderSettings(settings.provider(), keys);
        }
        Map<String, String> env = kmsEnvironment == null ? System.getenv() : kmsEnvironment.variables();
        KmsMetrics metrics = new KmsMetrics(meterRegistry); // records nothing when metrics are off
        return new EnvelopeEncryption(
                KeyProviders.create(settings, env, metrics),
                EnvelopeEncryption.Options.defaults(),
                Clock.systemUTC(),
                metrics);
    }

    /** What {@code MetadataStore.open(url, sealerFactory)} needs: attaches the DEK ring to the store's database. */
    public static Function<DataSource, FieldSealer> sealerFactory(EnvelopeEncryption encryption) {
        return ds -> encryption.attach(new DataKeyRepository(ds), new SealedValueRepository(ds));
    }

    /** The parsed {@code [kms]} record as the key providers read it (TOML key names). */
    public static KeyProviderSettings providerSettings(KmsSettings kms) {
        return new KeyProviderSettings(kms.provider(), kms.keys());
    }
}
