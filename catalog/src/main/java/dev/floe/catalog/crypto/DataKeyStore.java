package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.WrappedKey;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Persistence of the DEK ring, as the crypto layer needs it. The JDBC implementation is
 * {@code dev.floe.catalog.store.DataKeyRepository}; the interface lives here so that the store
 * depends on crypto and not the other way round.
 */
public interface DataKeyStore {

    Optional<DataKeyRecord> find(UUID id);

    Optional<DataKeyRecord> findActive();

    /** Every DEK, oldest first. */
    List<DataKeyRecord> list();

    /**
     * Makes {@code fresh} the active DEK and retires the previous active one, atomically. With
     * {@code expectedActive} empty it succeeds only if there is no active DEK yet; otherwise only if
     * that DEK is still the active one. Returns false when another writer won the race.
     */
    boolean activate(DataKeyRecord fresh, Optional<UUID> expectedActive);

    /** Replaces the wrapped material if it is still {@code expected} (compare-and-set). */
    boolean replaceWrapped(UUID id, WrappedKey expected, WrappedKey replacement);

    /** Erases the wrapped material of a RETIRED key and marks it DESTROYED. */
    boolean destroy(UUID id);
}
