package dev.floe.catalog.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.kms.SecretBytes;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DataKeyCacheTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void zeroisesEntriesWhenTheyExpire() {
        DataKeyCache cache = new DataKeyCache(10, Duration.ofMinutes(5), now::get);
        UUID id = UUID.randomUUID();
        SecretBytes key = AesGcm.newDataKey();
        cache.put(id, key);
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(cache.get(id)).isPresent();
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(cache.get(id)).isEmpty();
        assertThat(key.isDestroyed()).isTrue();
    }

    @Test
    void zeroisesTheLeastRecentlyUsedEntryBeyondTheBound() {
        DataKeyCache cache = new DataKeyCache(2, Duration.ofHours(1), now::get);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        SecretBytes ka = AesGcm.newDataKey();
        SecretBytes kb = AesGcm.newDataKey();
        cache.put(a, ka);
        cache.put(b, kb);
        cache.get(a).orElseThrow().close(); // a is now more recently used than b
        cache.put(c, AesGcm.newDataKey());
        assertThat(cache.size()).isEqualTo(2);
        assertThat(kb.isDestroyed()).isTrue();
        assertThat(ka.isDestroyed()).isFalse();
        assertThat(cache.contains(b)).isFalse();
    }

    @Test
    void handsOutCopiesThatSurviveEviction() {
        DataKeyCache cache = new DataKeyCache(1, Duration.ofHours(1), now::get);
        UUID a = UUID.randomUUID();
        SecretBytes key = AesGcm.newDataKey();
        SecretBytes expected = key.copy();
        cache.put(a, key);
        SecretBytes lease = cache.get(a).orElseThrow();
        cache.invalidate(a);
        assertThat(key.isDestroyed()).isTrue();
        assertThat(lease.sameContentAs(expected)).isTrue();
    }

    @Test
    void closeZeroisesEverything() {
        DataKeyCache cache = new DataKeyCache(4, Duration.ofHours(1), now::get);
        SecretBytes k1 = AesGcm.newDataKey();
        SecretBytes k2 = AesGcm.newDataKey();
        cache.put(UUID.randomUUID(), k1);
        cache.put(UUID.randomUUID(), k2);
        cache.close();
        assertThat(k1.isDestroyed()).isTrue();
        assertThat(k2.isDestroyed()).isTrue();
    }
}
