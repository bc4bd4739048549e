package dev.floe.catalog.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Fully serialized {@code loadTable} responses (UTF-8 bytes and their entity tag), keyed by
 * everything the response body depends on: the warehouse, the metadata location and the snapshot
 * mode. A metadata file never changes once written, so the bytes for a location are valid for as
 * long as it is the table's current one; a commit produces a new location and thus a new key. A
 * load whose pointer (read from the store on every request) names a cached location is answered
 * without reading, parsing or serializing table metadata. The responses carry no per-caller
 * content (no vended credentials): authorization runs before the cache is consulted. Anything
 * that later makes the body depend on the caller or on configuration must become part of
 * {@link Key}.
 */
@Singleton
public class LoadTableCache {

    /** What a cached response depends on. */
    public record Key(String warehouse, String metadataLocation, SnapshotMode mode) {}

    /** A ready response body (UTF-8 JSON) with its strong entity tag. */
    public record Entry(byte[] body, String etag) {
        /** The body as text (for the idempotency record of a commit). */
        public String json() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Cache<Key, Entry> cache = Caffeine.newBuilder()
            .maximumWeight(256L * 1024 * 1024)
            .<Key, Entry>weigher((key, entry) -> entry.body().length + key.metadataLocation().length() * 2 + 96)
            .build();

    /** The cached response for this key, if one was built before. */
    public Entry getIfPresent(Key key) {
        return cache.getIfPresent(key);
    }

    /** The cached response for this key, serialized by {@code json} on the first request. */
    public Entry get(Key key, Supplier<String> json) {
        return cache.get(key, k -> new Entry(json.get().getBytes(StandardCharsets.UTF_8),
                etag(k.metadataLocation(), k.mode())));
    }

    /**
     * Strong entity tag of the response for one metadata location and snapshot mode: the same on
     * every replica and across restarts, so a client's tag stays valid while the table is unchanged.
     */
    public static String etag(String metadataLocation, SnapshotMode mode) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((mode.name() + '|' + metadataLocation).getBytes(StandardCharsets.UTF_8));
            return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Whether an {@code If-None-Match} header names this tag (or {@code *}). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag) || ('"' + tag + '"').equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
