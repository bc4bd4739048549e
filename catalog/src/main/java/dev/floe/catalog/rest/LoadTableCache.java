package dev.floe.catalog.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;

/**
 * Fully serialized {@code loadTable} responses (UTF-8 bytes and their entity tag), keyed by
 * everything the response body depends on: the warehouse, the metadata location and the snapshot
 * mode. A metadata file never changes once written, so the bytes for a location are valid for as
 * long as it is the table's current one; a commit produces a new location and thus a new key. A
 * load whose pointer (read from the store on every request) names a cached location is answered
 * without reading, parsing or serializing table metadata. The responses carry no per-caller
 * content: authorization runs before the cache is consulted, and vended credentials are added to a
 * copy on the way out ({@link VendedCredentialResponses}), never stored here. Anything
 * that later makes the body depend on the caller or on configuration must become part of
 * {@link Key}.
 */
@Singleton
public class LoadTableCache {

    /** What a cached response depends on. */
    public record Key(String warehouse, String metadataLocation, SnapshotMode mode) {}

    /**
     * Bodies shorter than this are sent uncompressed, as Micronaut's own response compression does
     * ({@code micronaut.server.netty.compression-threshold}, 1 KiB): gzip would not make them smaller.
     */
    public static final int GZIP_MIN_BYTES = 1024;

    /**
     * A ready response body (UTF-8 JSON) with its strong entity tag, and the same body gzip-compressed,
     * built on first use. Iceberg's Java client (Apache HttpClient 5) asks for gzip on every request, so
     * without the stored copy every load would compress the whole response again.
     */
    public static final class Entry {
        private final byte[] body;
        private final String etag;
        private final String tableLocation;
        private volatile byte[] gzip;

        public Entry(byte[] body, String etag) {
            this(body, etag, null);
        }

        public Entry(byte[] body, String etag, String tableLocation) {
            this.body = body;
            this.etag = etag;
            this.tableLocation = tableLocation;
        }

        /** The table's base location (what vended credentials are scoped to), if known. */
        public String tableLocation() {
            return tableLocation;
        }

        /** The UTF-8 JSON body. */
        public byte[] body() {
            return body;
        }

        /** The strong entity tag, the same for both encodings (as when Micronaut compressed per request). */
        public String etag() {
            return etag;
        }

        /** The body as text (for the idempotency record of a commit). */
        public String json() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Whether the body is long enough to be worth sending gzip-compressed. */
        public boolean compressible() {
            return body.length >= GZIP_MIN_BYTES;
        }

        /** Whether the gzip copy has been made (making it is CPU work worth keeping off the event loop). */
        public boolean hasGzipBody() {
            return gzip != null;
        }

        /** The body gzip-compressed (default level), computed once; two threads may both compute it. */
        public byte[] gzipBody() {
            byte[] compressed = gzip;
            if (compressed == null) {
                compressed = gzip(body);
                gzip = compressed;
            }
            return compressed;
        }

        private static byte[] gzip(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException("gzip into memory cannot fail", e);
            }
            return out.toByteArray();
        }
    }

    // Weighs each entry for its body and, at most, a gzip copy no larger than the body.
    private final Cache<Key, Entry> cache = Caffeine.newBuilder()
            .maximumWeight(256L * 1024 * 1024)
            .<Key, Entry>weigher((key, entry) ->
                    entry.body().length * 2 + key.metadataLocation().length() * 2 + 128)
            .build();

    /** The cached response for this key, if one was built before. */
    public Entry getIfPresent(Key key) {
        return cache.getIfPresent(key);
    }

    /** The cached response for this key, serialized by {@code json} on the first request. */
    public Entry get(Key key, Supplier<String> json) {
        return get(key, null, json);
    }

    /** As {@link #get(Key, Supplier)}, remembering the table's base location with the response. */
    public Entry get(Key key, String tableLocation, Supplier<String> json) {
        return cache.get(
                key,
                k -> new Entry(
                        json.get().getBytes(StandardCharsets.UTF_8),
                        etag(k.metadataLocation(), k.mode()),
                        tableLocation));
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

    /**
     * Whether an {@code Accept-Encoding} header accepts gzip: a {@code gzip} (or {@code x-gzip}, or
     * {@code *}) coding whose quality is not zero.
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String candidate : acceptEncoding.split(",")) {
            String[] parts = candidate.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
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
