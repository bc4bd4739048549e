package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.KmsMetrics;
import dev.floe.catalog.kms.ResilientKeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The assembled envelope-encryption service of one catalog process: the guarded key provider, the
 * data-key cache, and — once the metadata store has opened its database — the DEK ring, the
 * {@link FieldSealer} the store uses and the {@link KeyRotation} the management endpoints use.
 * The store calls {@link #attach} from its sealer factory, because the DEK ring lives in the same
 * database as the sealed rows.
 */
public final class EnvelopeEncryption implements AutoCloseable {

    /**
     * @param cacheSize     most unwrapped DEKs kept in memory
     * @param cacheTtl      how long an unwrapped DEK stays cached (bounds KMS calls and exposure)
     * @param activeRefresh how often a replica re-reads which DEK is active
     * @param destroyGrace  how long a retired DEK must have been retired before it may be destroyed
     * @param batchSize     rows per batch in re-encryption
     */
    public record Options(
            int cacheSize, Duration cacheTtl, Duration activeRefresh, Duration destroyGrace, int batchSize) {
        public static Options defaults() {
            return new Options(1024, Duration.ofHours(24), Duration.ofSeconds(30), Duration.ofMinutes(5), 500);
        }
    }

    private final ResilientKeyProvider provider;
    private final Options options;
    private final Clock clock;
    private final KmsMetrics metrics;
    private volatile DataKeyRing ring;
    private volatile EnvelopeFieldSealer sealer;
    private volatile KeyRotation rotation;

    public EnvelopeEncryption(ResilientKeyProvider provider, Options options, Clock clock) {
        this(provider, options, clock, KmsMetrics.NONE);
    }

    /** As above, counting data-key cache hits and misses in {@code metrics}. */
    public EnvelopeEncryption(ResilientKeyProvider provider, Options options, Clock clock, KmsMetrics metrics) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Binds to the store's database; returns the sealer the store must use. Call once. */
    public synchronized FieldSealer attach(DataKeyStore store, SealedValueStore values) {
        if (ring != null) {
            throw new IllegalStateException("envelope encryption is already attached to a store");
        }
        DataKeyRing newRing = new DataKeyRing(
                store,
                provider,
                new DataKeyCache(options.cacheSize(), options.cacheTtl(), System::nanoTime, metrics),
                clock,
                options.activeRefresh());
        // Make sure an active DEK exists now, outside any store transaction: creating it lazily from
        // inside the first sealed write would need a second write transaction, which SQLite's
        // single writer lock turns into a deadlock.
        newRing.activeRecord();
        EnvelopeFieldSealer newSealer = new EnvelopeFieldSealer(newRing);
        rotation = new KeyRotation(
                newRing,
                new Reencryptor(values, newSealer, options.batchSize()),
                values,
                clock,
                options.destroyGrace());
        sealer = newSealer;
        ring = newRing;
        return newSealer;
    }

    public ResilientKeyProvider provider() {
        return provider;
    }

    public DataKeyRing ring() {
        return requireAttached(ring);
    }

    public FieldSealer sealer() {
        return requireAttached(sealer);
    }

    public KeyRotation rotation() {
        return requireAttached(rotation);
    }

    /**
     * Whether this replica holds the active DEK unwrapped in its cache (see
     * {@link DataKeyRing#isActiveKeyCached}); false before {@link #attach}. Makes no KMS call.
     */
    public boolean isActiveKeyCached() {
        DataKeyRing r = ring;
        return r != null && r.isActiveKeyCached();
    }

    public boolean isAttached() {
        return ring != null;
    }

    private <T> T requireAttached(T value) {
        if (value == null) {
            throw new IllegalStateException("envelope encryption is not attached to the metadata store yet");
        }
        return value;
    }

    @Override
    public void close() {
        DataKeyRing r = ring;
        if (r != null) {
            r.close();
        }
        provider.close();
    }
}
