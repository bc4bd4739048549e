package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.junit.jupiter.api.Test;

class LoadTableCacheTest {

    @Test
    void serializesOncePerWarehouseLocationAndMode() {
        LoadTableCache cache = new LoadTableCache();
        AtomicInteger calls = new AtomicInteger();
        LoadTableCache.Key all = new LoadTableCache.Key("w", "file:/m/1.json", SnapshotMode.ALL);
        LoadTableCache.Entry first = cache.get(all, () -> "json-" + calls.incrementAndGet());
        LoadTableCache.Entry again = cache.get(all, () -> "json-" + calls.incrementAndGet());
        LoadTableCache.Entry refs = cache.get(
                new LoadTableCache.Key("w", "file:/m/1.json", SnapshotMode.REFS),
                () -> "json-" + calls.incrementAndGet());
        assertThat(again.json()).isEqualTo(first.json()).isEqualTo("json-1");
        assertThat(again.body()).isSameAs(first.body());
        assertThat(refs.json()).isEqualTo("json-2");
        assertThat(refs.etag()).isNotEqualTo(first.etag());
        assertThat(first.etag()).isEqualTo(LoadTableCache.etag("file:/m/1.json", SnapshotMode.ALL));
        assertThat(cache.getIfPresent(all)).isSameAs(first);
        assertThat(cache.getIfPresent(new LoadTableCache.Key("w", "file:/m/2.json", SnapshotMode.ALL)))
                .isNull();
        assertThat(cache.getIfPresent(new LoadTableCache.Key("other", "file:/m/1.json", SnapshotMode.ALL)))
                .isNull();
    }

    @Test
    void etagsChangeWithTheLocationAndMatchIfNoneMatchForms() {
        String tag = LoadTableCache.etag("file:/m/1.json", SnapshotMode.ALL);
        assertThat(tag).startsWith("\"").endsWith("\"");
        assertThat(LoadTableCache.etag("file:/m/2.json", SnapshotMode.ALL)).isNotEqualTo(tag);
        assertThat(LoadTableCache.matches(tag, tag)).isTrue();
        assertThat(LoadTableCache.matches("W/" + tag, tag)).isTrue();
        assertThat(LoadTableCache.matches(tag.substring(1, tag.length() - 1), tag))
                .isTrue();
        assertThat(LoadTableCache.matches("\"other\", " + tag, tag)).isTrue();
        assertThat(LoadTableCache.matches("*", tag)).isTrue();
        assertThat(LoadTableCache.matches("\"other\"", tag)).isFalse();
        assertThat(LoadTableCache.matches(null, tag)).isFalse();
    }

    @Test
    void keepsOneGzipCopyThatDecompressesToTheBody() throws Exception {
        LoadTableCache cache = new LoadTableCache();
        String json = "{\"metadata-location\":\"file:/m/1.json\",\"pad\":\"" + "x".repeat(4000) + "\"}";
        LoadTableCache.Entry entry =
                cache.get(new LoadTableCache.Key("w", "file:/m/1.json", SnapshotMode.ALL), () -> json);
        assertThat(entry.compressible()).isTrue();
        byte[] gzip = entry.gzipBody();
        assertThat(gzip.length).isLessThan(entry.body().length / 4);
        assertThat(entry.gzipBody()).as("compressed once").isSameAs(gzip);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(entry.body());
        }
        LoadTableCache.Entry small =
                cache.get(new LoadTableCache.Key("w", "file:/m/2.json", SnapshotMode.ALL), () -> "{}");
        assertThat(small.compressible())
                .as("below the 1 KiB threshold, like Micronaut's own compression")
                .isFalse();
    }

    @Test
    void readsAcceptEncodingAsHttpDefinesIt() {
        assertThat(LoadTableCache.acceptsGzip("gzip, x-gzip, deflate"))
                .isTrue(); // Apache HttpClient 5, Iceberg's transport
        assertThat(LoadTableCache.acceptsGzip("deflate, gzip;q=0.5")).isTrue();
        assertThat(LoadTableCache.acceptsGzip("GZIP")).isTrue();
        assertThat(LoadTableCache.acceptsGzip("*")).isTrue();
        assertThat(LoadTableCache.acceptsGzip("x-gzip")).isTrue();
        assertThat(LoadTableCache.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(LoadTableCache.acceptsGzip("gzip; q=0.000, identity")).isFalse();
        assertThat(LoadTableCache.acceptsGzip("deflate, br")).isFalse();
        assertThat(LoadTableCache.acceptsGzip("identity")).isFalse();
        assertThat(LoadTableCache.acceptsGzip("")).isFalse();
        assertThat(LoadTableCache.acceptsGzip(null)).isFalse();
    }
}
