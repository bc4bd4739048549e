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
        LoadTableCache.Entry refs = cache.get(new LoadTableCache.Key("w", "file:/m/1.json", SnapshotMode.REFS),
                () -> "json-" + calls.incrementAndGet());
        assertThat(again.json()).isEqualTo(first.json()).isEqualTo("json-1");
        assertThat(again.body()).isSameAs(first.body());
        assertThat(refs.json()).isEqualTo("json-2");
        assertThat(refs.etag()).isNotEqualTo(first.etag());
        assertThat(first.etag()).isEqualTo(LoadTableCache.etag("file:/m/1.json", SnapshotMode.ALL));
        assertThat(cache.getIfPresent(all)).isSameAs(first);
        assertThat(cache.getIfPresent(new LoadTableCache.Key("w", "file:/m/2.json", SnapshotMode.ALL))).isNull();
        assertThat(cache.getIfPresent(new LoadTableCache.Key("other", "file:/m/1.json", SnapshotMode.ALL))).isNull();
    }

    @Test
    void etagsChangeWithTheLocationAndMatchIfNoneMatchForms() {
        String tag = LoadTableCache.etag("file:/m/1.json", SnapshotMode.ALL);
        assertThat(tag).startsWith("\"").endsWith("\"");
        assertThat(LoadTableCache.etag("file:/m/2.json", SnapshotMode.ALL)).isNotEqualTo(tag);
        assertThat(LoadTableCache.matches(tag, tag)).isTrue();
        assertThat(LoadTableCache.matches("W/" + tag, tag)).isTrue();
        assertThat(LoadTableCache.matches(tag.substring(1, tag.length() - 1), tag)).isTrue();
        assertThat(LoadTableCache.matches("\"other\", " + tag, tag)).isTrue();
        assertThat(LoadTableCache.matches("*", tag)).isTrue();
        assertThat(LoadTableCache.matches("\"other\"", tag)).isFalse();
        assertThat(LoadTableCache.matches(null, tag)).isFalse();
    }
}
