package dev.floe.catalog.kms;

/**
 * A key-management service that wraps and unwraps data keys (DEKs) under a master key it keeps.
 * Every result names the master key id and the key version that was used, so that rotation can find
 * and rewrap DEKs wrapped under an older version. Implementations make one remote call per method
 * and report failures as {@link KmsUnavailableException} (transient: network, throttling, outage)
 * or {@link KmsException} (permanent: bad ciphertext, missing key, denied); timeouts, retries and
 * the circuit breaker are added around them by {@link ResilientKeyProvider}.
 */
public interface KeyProvider extends AutoCloseable {

    /** The configured provider kind, e.g. {@code local}, {@code aws}. Stored with every DEK. */
    String kind();

    /** Wraps (encrypts) a data key under the master key's current version. */
    WrappedKey wrap(SecretBytes dataKey);

    /** Unwraps a data key that this provider wrapped, under whichever version wrapped it. */
    SecretBytes unwrap(WrappedKey wrapped);

    /**
     * Re-wraps a data key under the master key's current version. The default unwraps and wraps
     * again; providers with a server-side rewrap (Vault Transit, AWS ReEncrypt) never expose the
     * data key to this process for it.
     */
    default WrappedKey rewrap(WrappedKey wrapped) {
        try (SecretBytes dataKey = unwrap(wrapped)) {
            return wrap(dataKey);
        }
    }

    /** The master key and its current (primary) version, as the KMS reports it now. */
    MasterKeyVersion currentVersion();

    /** A cheap call proving the KMS answers and the key is usable; throws like the other calls. */
    default void checkHealth() {
        currentVersion();
    }

    @Override
    default void close() {
        // Most providers hold nothing to release; SDK-backed ones close their HTTP clients.
    }
}
