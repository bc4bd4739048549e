package dev.floe.catalog.testing;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.time.Duration;

/**
 * A fake {@link KeyProvider} for a KMS that cannot be reached: every call fails with
 * {@link KmsUnavailableException} "connection refused", as a real provider reports a refused
 * connection. Tests that need the KMS to come back override {@link #currentVersion()}.
 */
public class UnreachableKeyProvider implements KeyProvider {

    private final String kind;

    /** @param kind the provider kind it reports (metrics are tagged with it) */
    public UnreachableKeyProvider(String kind) {
        this.kind = kind;
    }

    private static KmsUnavailableException refused() {
        return new KmsUnavailableException("connection refused", Duration.ofSeconds(1));
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        throw refused();
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        throw refused();
    }

    @Override
    public MasterKeyVersion currentVersion() {
        throw refused();
    }
}
