package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.WrappedKey;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One persisted entry of the DEK ring: the data key as the KMS wrapped it and where it stands.
 *
 * @param id               the DEK id written into every value it seals
 * @param wrapped          the wrapped key with master key id and version (null once destroyed)
 * @param provider         the {@code KeyProvider} kind that wrapped it
 * @param created          when the DEK was made
 * @param state            ACTIVE, RETIRED or DESTROYED
 * @param updated          last change of wrapped material or state (rewrap, retire, destroy)
 */
public record DataKeyRecord(
        UUID id, WrappedKey wrapped, String provider, Instant created, DataKeyState state, Instant updated) {

    public DataKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updated, "updated");
        if (wrapped == null && state != DataKeyState.DESTROYED) {
            throw new IllegalArgumentException("only a destroyed data key may lack wrapped material");
        }
    }

    public String masterKeyId() {
        return wrapped == null ? null : wrapped.keyId();
    }

    public String masterKeyVersion() {
        return wrapped == null ? null : wrapped.keyVersion();
    }
}
