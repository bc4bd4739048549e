package dev.floe.catalog.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Serialized {@code loadTable} responses keyed by metadata location and snapshot mode. A metadata
 * file never changes once written, so the JSON for a location is valid for as long as it is the
 * table's current one; a commit produces a new location and thus a new key. This saves
 * re-serializing (often large) table metadata on every load.
 */
@Singleton
public class LoadTableCache {

    /** A ready response body with its entity tag. */
    public record Entry(String json, String etag) {}

    private final Cache<String, Entry> cache = Caffeine.newBuilder()
            .maximumWeight(256L * 1024 * 1024)
            .<String, Entry>weigher((key, entry) -> entry.json().length() * 2 + 64)
            .build();

    /** The cached response for this metadata location, if one was built before. */
    public Entry getIfPresent(String metadataLocation, SnapshotMode mode) {
        return cache.getIfPresent(key(metadataLocation, mode));
    }

    public Entry get(String metadataLocation, SnapshotMode mode, Supplier<String> json) {
        return cache.get(key(metadataLocation, mode), k -> new Entry(json.get(), etag(metadataLocation, mode)));
    }

    /** Strong entity tag of the response for one metadata location and snapshot mode. */
    public static String etag(String metadataLocation, SnapshotMode mode) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(key(metadataLocation, mode).getBytes(StandardCharsets.UTF_8));
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

    private static String key(String metadataLocation, SnapshotMode mode) {
        return mode.name() + '|' + metadataLocation;
    }
}
