package dev.floe.catalog.vending;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Vended credentials per (table location, access level), reused until they come near their expiry
 * so that loading a table does not cost an STS call: the vendor is called on the first request
 * and again only when less than {@link #margin} of validity is left. Every credential handed out
 * therefore still has at least the margin to run, which leaves clients time to refresh. Entries
 * live in memory only and the cache is bounded.
 */
public final class VendedCredentialCache {

    private record Key(String location, AccessLevel level) {}

    /**
     * A credential and when to replace it: the margin before its expiry, measured both on the
     * storage service's clock (its {@code Expiration}) and on ours (when we asked plus the
     * lifetime), whichever comes first, so a clock skew between the two cannot make the catalog
     * hand out credentials the service already considers expired.
     */
    private record Entry(VendedCredential credential, Instant refreshAt) {}

    private final CredentialVendor vendor;
    private final Clock clock;
    private final Duration margin;
    private final Duration lifetime;
    private final Cache<Key, Entry> cache;

    public VendedCredentialCache(CredentialVendor vendor, Clock clock, Duration lifetime) {
        this.vendor = vendor;
        this.clock = clock;
        this.margin = margin(lifetime);
        this.lifetime = lifetime;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(lifetime)
                .build();
    }

    /**
     * A quarter of the lifetime, at least five minutes (Iceberg's clients refresh five minutes
     * before expiry), at most half of the lifetime.
     */
    static Duration margin(Duration lifetime) {
        Duration quarter = lifetime.dividedBy(4);
        Duration floor = Duration.ofMinutes(5);
        Duration margin = quarter.compareTo(floor) < 0 ? floor : quarter;
        Duration half = lifetime.dividedBy(2);
        return margin.compareTo(half) > 0 ? half : margin;
    }

    /** Credentials for {@code location} at {@code level}, fresh from the vendor only when needed. */
    public VendedCredential get(String location, AccessLevel level) {
        Key key = new Key(location, level);
        Entry cached = cache.getIfPresent(key);
        if (cached != null && fresh(cached)) {
            return cached.credential();
        }
        // one vend per key at a time: concurrent loads of the same table wait for the same call
        return cache.asMap()
                .compute(key, (k, old) -> old != null && fresh(old) ? old : vend(location, level))
                .credential();
    }

    private Entry vend(String location, AccessLevel level) {
        Instant asked = clock.instant();
        VendedCredential credential = vendor.vend(location, level);
        Instant byService = credential.expiresAt().minus(margin);
        Instant byUs = asked.plus(lifetime).minus(margin);
        return new Entry(credential, byService.isBefore(byUs) ? byService : byUs);
    }

    /** The cached credentials if they are still fresh, without calling the vendor. */
    public VendedCredential getIfFresh(String location, AccessLevel level) {
        Entry cached = cache.getIfPresent(new Key(location, level));
        return cached != null && fresh(cached) ? cached.credential() : null;
    }

    private boolean fresh(Entry entry) {
        return clock.instant().isBefore(entry.refreshAt());
    }
}
