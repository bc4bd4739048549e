package dev.floe.catalog.security;

import dev.floe.catalog.store.ApiKeyRepository;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Namespace;

/**
 * Creates, lists, revokes and verifies API keys. Verification results are cached per key id for a
 * short time (default 5 s) so a busy client does not hit the database on every call, yet a key
 * revoked on any replica stops working on every replica within that time. Only the verdict for a
 * hash that matched is cached; a wrong secret is checked against the stored hash every time.
 */
public final class ApiKeyService {

    /**
     * A new key, returned once.
     *
     * @param record     its stored description
     * @param credential the full key, shown to the caller once and never again
     */
    public record Created(ApiKeyRecord record, ApiKeyCredential credential) {}

    private record CacheEntry(ApiKeyRecord record, byte[] hash, Instant loadedAt) {}

    private final ApiKeyRepository repository;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, CacheEntry> cache = new ConcurrentHashMap<>();

    public ApiKeyService(ApiKeyRepository repository, Clock clock, Duration cacheTtl) {
        this.repository = repository;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    /** Creates a key with a fresh random secret. */
    public Created create(
            String name,
            Set<Role> roles,
            @Nullable String warehouse,
            @Nullable String namespacePrefix,
            @Nullable Instant expiresAt,
            String createdBy) {
        validate(name, roles, namespacePrefix);
        ApiKeyCredential credential = ApiKeyCredential.generate();
        ApiKeyRecord record = new ApiKeyRecord(
                credential.keyId(),
                name,
                roles,
                blankToNull(warehouse),
                blankToNull(namespacePrefix),
                createdBy,
                clock.instant(),
                expiresAt,
                null);
        if (!repository.insert(toRow(record, ApiKeyHasher.hash(credential)))) {
            throw new IllegalStateException("API key id collision; try again");
        }
        return new Created(record, credential);
    }

    /**
     * Stores {@code credential} as an admin key unless its key id exists already. Every replica may
     * call this at start with the same mounted key file: one insert wins, the rest find it there.
     * A revoked bootstrap key stays revoked.
     *
     * @return true when this call created it
     */
    public boolean ensureBootstrapKey(ApiKeyCredential credential, String name) {
        ApiKeyRecord record = new ApiKeyRecord(
                credential.keyId(), name, EnumSet.of(Role.ADMIN), null, null, "bootstrap", clock.instant(), null, null);
        boolean created = repository.insert(toRow(record, ApiKeyHasher.hash(credential)));
        if (!created) {
            ApiKeyRepository.Row existing = repository.find(credential.keyId()).orElseThrow();
            if (!ApiKeyHasher.verify(credential, existing.secretHash())) {
                throw new IllegalStateException("bootstrap admin key file holds key id " + credential.keyId()
                        + " but a different secret than the one stored; refusing to overwrite it");
            }
        }
        return created;
    }

    /** All keys, without secrets. */
    public List<ApiKeyRecord> list() {
        return repository.list().stream().map(ApiKeyService::toRecord).collect(Collectors.toList());
    }

    /** The key's record, if it exists. */
    public Optional<ApiKeyRecord> find(String keyId) {
        return repository.find(keyId).map(ApiKeyService::toRecord);
    }

    /** Revokes the key; false when there is no such (unrevoked) key. */
    public boolean revoke(String keyId) {
        boolean revoked = repository.revoke(keyId, clock.instant());
        cache.remove(keyId);
        return revoked;
    }

    /** The principal for a presented key, or empty if unknown, revoked, expired or the secret is wrong. */
    public Optional<Principal> authenticate(ApiKeyCredential credential, String method) {
        CacheEntry entry = lookup(credential.keyId());
        if (entry == null || !ApiKeyHasher.verify(credential, entry.hash())) {
            return Optional.empty();
        }
        return entry.record().usableAt(clock.instant())
                ? Optional.of(entry.record().principal(method))
                : Optional.empty();
    }

    /** The principal for a key id already proven (by a signed token); empty once revoked or expired. */
    public Optional<Principal> principalForKeyId(String keyId, String method) {
        CacheEntry entry = lookup(keyId);
        if (entry == null || !entry.record().usableAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.record().principal(method));
    }

    /**
     * Whether verifying this key id needs no database read: its record is cached and not due for a
     * refresh ({@link #refreshMargin}). Unknown ids are never cached, so they always need the database.
     */
    public boolean isCached(String keyId) {
        CacheEntry cached = cache.get(keyId);
        return cached != null && fresh(cached, clock.instant());
    }

    /**
     * A cached record is reloaded this long before its cache time runs out (a fifth of it, at most
     * a second): the authentication filter sends requests whose key is due to the blocking pool,
     * and the first of them reloads it, so a key in steady use is checked from memory almost always
     * and never expires between {@link #isCached} and its use.
     */
    private Duration refreshMargin() {
        Duration fifth = cacheTtl.dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(1)) < 0 ? fifth : Duration.ofSeconds(1);
    }

    private boolean fresh(CacheEntry entry, Instant now) {
        return entry.loadedAt().plus(cacheTtl).minus(refreshMargin()).isAfter(now);
    }

    private @Nullable CacheEntry lookup(String keyId) {
        Instant now = clock.instant();
        CacheEntry cached = cache.get(keyId);
        if (cached != null && fresh(cached, now)) {
            return cached;
        }
        Optional<ApiKeyRepository.Row> row = repository.find(keyId);
        if (row.isEmpty()) {
            cache.remove(keyId);
            return null;
        }
        if (cache.size() > 10_000) { // bounded: unknown ids are never cached, so this only holds real keys
            cache.clear();
        }
        CacheEntry entry = new CacheEntry(toRecord(row.get()), row.get().secretHash(), now);
        cache.put(keyId, entry);
        return entry;
    }

    private static void validate(String name, Set<Role> roles, @Nullable String namespacePrefix) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("name must be 1 to 128 characters");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("at least one role is required; accepted: admin, writer, reader");
        }
        namespaceScope(namespacePrefix);
    }

    /**
     * A key's requested namespace scope as levels ({@code sales.eu} is {@code ["sales", "eu"]}), or
     * null for none (absent or blank).
     *
     * @throws IllegalArgumentException when a level is empty ({@code .sales}, {@code sales..eu})
     */
    public static @Nullable Namespace namespaceScope(@Nullable String namespacePrefix) {
        String prefix = blankToNull(namespacePrefix);
        if (prefix != null && (prefix.startsWith(".") || prefix.endsWith(".") || prefix.contains(".."))) {
            throw new IllegalArgumentException("namespacePrefix must be namespace levels joined by '.', e.g. sales.eu");
        }
        return ApiKeyRecord.scopeLevels(prefix);
    }

    /** A key's requested warehouse scope, or null for none (absent or blank). */
    public static @Nullable String warehouseScope(@Nullable String warehouse) {
        return blankToNull(warehouse);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static ApiKeyRepository.Row toRow(ApiKeyRecord r, byte[] hash) {
        return new ApiKeyRepository.Row(
                r.keyId(),
                hash,
                r.name(),
                r.roles().stream().map(Role::id).collect(Collectors.toSet()),
                r.warehouse(),
                r.namespacePrefix(),
                r.createdBy(),
                r.createdAt(),
                r.expiresAt(),
                r.revokedAt());
    }

    private static ApiKeyRecord toRecord(ApiKeyRepository.Row row) {
        Set<Role> roles = row.roles().stream()
                .map(Role::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        return new ApiKeyRecord(
                row.keyId(),
                row.name(),
                roles,
                row.warehouse(),
                row.namespacePrefix(),
                row.createdBy(),
                row.createdAt(),
                row.expiresAt(),
                row.revokedAt());
    }
}
