package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-key ring: finds the active DEK for sealing (creating the first one on demand), unwraps
 * DEKs through the {@link KeyProvider} for opening and keeps them in the {@link DataKeyCache}, and
 * performs the key-ring half of rotation (new active DEK, rewrap of every DEK under the master
 * key's current version, destruction of retired DEKs). Every step writes one row atomically, so a
 * crash leaves a readable ring and a rerun completes the job.
 */
public final class DataKeyRing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataKeyRing.class);

    /** The DEK to seal with, as a caller-owned copy; close it after use. */
    public record ActiveKey(UUID id, SecretBytes key) implements AutoCloseable {
        @Override
        public void close() {
            key.close();
        }
    }

    /** What a rewrap pass did. */
    public record RewrapResult(MasterKeyVersion current, int rewrapped, int alreadyCurrent, List<String> failures) {}

    private final DataKeyStore store;
    private final KeyProvider provider;
    private final DataKeyCache cache;
    private final Clock clock;
    private final Duration activeRefresh;

    private volatile DataKeyRecord active;
    private volatile Instant activeCheckedAt = Instant.MIN;

    /**
     * @param activeRefresh how long this replica trusts its idea of the active DEK before re-reading
     *                      the store; bounds how long another replica's rotation takes to be seen
     */
    public DataKeyRing(
            DataKeyStore store, KeyProvider provider, DataKeyCache cache, Clock clock, Duration activeRefresh) {
        this.store = store;
        this.provider = provider;
        this.cache = cache;
        this.clock = clock;
        this.activeRefresh = activeRefresh;
    }

    public KeyProvider provider() {
        return provider;
    }

    /** The active DEK, created (wrapped by the KMS and persisted) if the ring is empty. */
    public ActiveKey activeKey() {
        DataKeyRecord record = activeRecord();
        return new ActiveKey(record.id(), keyFor(record.id()));
    }

    /** The unwrapped DEK {@code id} as a caller-owned copy; unwraps through the KMS on a cache miss. */
    public SecretBytes keyFor(UUID id) {
        return cachedKeyFor(id).orElseGet(() -> unwrap(id));
    }

    /** Reads, unwraps (a KMS call) and caches the DEK {@code id}. */
    private SecretBytes unwrap(UUID id) {
        DataKeyRecord record = store.find(id)
                .orElseThrow(() -> new SealedValueException("data key " + id + " is not in the key ring"));
        if (record.state() == DataKeyState.DESTROYED) {
            throw new SealedValueException("data key " + id + " was destroyed; values sealed under it are lost");
        }
        SecretBytes key = provider.unwrap(record.wrapped());
        cache.put(id, key.copy());
        return key;
    }

    /**
     * The DEK {@code id} as a caller-owned copy if it is cached; never reads the store or calls the
     * KMS (what {@link FieldSealer#openWithoutWaiting} needs on a thread that must not wait).
     */
    public Optional<SecretBytes> cachedKeyFor(UUID id) {
        return cache.get(id);
    }

    /** Whether {@code id} can be opened without a KMS call right now. */
    public boolean isCached(UUID id) {
        return cache.contains(id);
    }

    /**
     * Whether the DEK that is active now is cached, so this replica can seal and open under it
     * without a KMS call (readiness asks this while the KMS is unreachable). The active DEK's id is
     * read from the store, because another replica may have rotated since this one last looked; if
     * the store cannot be read, the active DEK this replica last saw is used. Never calls the KMS
     * and never creates a key.
     */
    public boolean isActiveKeyCached() {
        UUID id;
        try {
            id = store.findActive().map(DataKeyRecord::id).orElse(null);
        } catch (RuntimeException e) {
            DataKeyRecord lastSeen = active;
            id = lastSeen == null ? null : lastSeen.id();
        }
        return id != null && cache.contains(id);
    }

    public List<DataKeyRecord> list() {
        return store.list();
    }

    /**
     * Makes a new active DEK and retires the current one. Values stay readable under the retired
     * DEK; the re-encryption pass moves them later.
     */
    public DataKeyRecord rotateActive() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<UUID> expected = store.findActive().map(DataKeyRecord::id);
            DataKeyRecord fresh = createAndWrap();
            if (store.activate(fresh, expected)) {
                setActive(fresh);
                LOG.info(
                        "data key ring: new active data key {} (master key {} version {}), previous {} retired",
                        fresh.id(),
                        fresh.masterKeyId(),
                        fresh.masterKeyVersion(),
                        expected.map(UUID::toString).orElse("none"));
                return fresh;
            }
            cache.invalidate(fresh.id());
        }
        throw new IllegalStateException("could not activate a new data key: concurrent rotations kept winning");
    }

    /**
     * Rewraps every DEK that is not destroyed and not yet wrapped under the master key's current
     * version. Each DEK is replaced with a compare-and-set, so concurrent or repeated runs are safe.
     */
    public RewrapResult rewrapAll() {
        MasterKeyVersion current = provider.currentVersion();
        int rewrapped = 0;
        int already = 0;
        List<String> failures = new ArrayList<>();
        for (DataKeyRecord record : store.list()) {
            if (record.state() == DataKeyState.DESTROYED) {
                continue;
            }
            if (current.equals(record.wrapped().masterKeyVersion())) {
                already++;
                continue;
            }
            try {
                WrappedKey replacement = provider.rewrap(record.wrapped());
                if (store.replaceWrapped(record.id(), record.wrapped(), replacement)) {
                    rewrapped++;
                } else {
                    already++; // another run rewrapped it meanwhile
                }
            } catch (KmsException e) {
                failures.add(record.id() + ": " + e.getMessage());
            }
        }
        refreshActive();
        return new RewrapResult(current, rewrapped, already, failures);
    }

    /** Destroys a retired DEK (only call once no value is sealed under it any more). */
    public boolean destroy(UUID id) {
        boolean done = store.destroy(id);
        cache.invalidate(id);
        if (done) {
            LOG.info("data key ring: data key {} destroyed", id);
        }
        return done;
    }

    /** The active record, re-read from the store when older than the refresh interval. */
    public DataKeyRecord activeRecord() {
        DataKeyRecord current = active;
        if (current != null
                && Duration.between(activeCheckedAt, clock.instant()).compareTo(activeRefresh) < 0) {
            return current;
        }
        return refreshActive();
    }

    private synchronized DataKeyRecord refreshActive() {
        Optional<DataKeyRecord> stored = store.findActive();
        if (stored.isPresent()) {
            setActive(stored.get());
            return stored.get();
        }
        DataKeyRecord fresh = createAndWrap();
        if (store.activate(fresh, Optional.empty())) {
            LOG.info(
                    "data key ring: first data key {} created (master key {} version {})",
                    fresh.id(),
                    fresh.masterKeyId(),
                    fresh.masterKeyVersion());
            setActive(fresh);
            return fresh;
        }
        cache.invalidate(fresh.id());
        DataKeyRecord winner = store.findActive()
                .orElseThrow(() -> new IllegalStateException("no active data key after a concurrent creation"));
        setActive(winner);
        return winner;
    }

    private void setActive(DataKeyRecord record) {
        active = record;
        activeCheckedAt = clock.instant();
    }

    private DataKeyRecord createAndWrap() {
        try (SecretBytes key = AesGcm.newDataKey()) {
            WrappedKey wrapped = provider.wrap(key);
            Instant now = clock.instant();
            DataKeyRecord record =
                    new DataKeyRecord(UUID.randomUUID(), wrapped, provider.kind(), now, DataKeyState.ACTIVE, now);
            // Cache before persisting: the KMS already proved it can wrap, no need to unwrap again.
            cache.put(record.id(), key.copy());
            return record;
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
