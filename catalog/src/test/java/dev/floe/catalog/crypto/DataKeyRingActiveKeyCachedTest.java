package dev.floe.catalog.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What readiness asks the key ring while the KMS is unreachable: is the DEK that is active now
 * cached? Not after its cache TTL ran out, and not after another replica rotated to a DEK this one
 * never unwrapped, even while this replica's own idea of the active DEK is not yet refreshed.
 */
class DataKeyRingActiveKeyCachedTest {

    private static final Duration TTL = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();
    private LocalKeyProvider provider;
    private DataSource db;
    private DataKeyRing ring;

    @BeforeEach
    void setUp() {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        provider = LocalKeyProvider.fromEnvironment(
                "FLOE_TEST_KEY", Map.of("FLOE_TEST_KEY", Base64.getEncoder().encodeToString(master)));
        db = SqliteDataKeyStores.migrated(dir);
        ring = ring();
    }

    @AfterEach
    void tearDown() {
        ring.close();
        provider.close();
    }

    private DataKeyRing ring() {
        return new DataKeyRing(
                new DataKeyRepository(db),
                provider,
                new DataKeyCache(16, TTL, nanos::get),
                Clock.systemUTC(),
                Duration.ofMinutes(5));
    }

    @Test
    void theActiveKeyIsCachedUntilItsTtlRunsOut() {
        assertThat(ring.isActiveKeyCached()).as("no active key yet").isFalse();
        ring.activeRecord(); // creates the first DEK and caches it
        assertThat(ring.isActiveKeyCached()).isTrue();
        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(ring.isActiveKeyCached()).isTrue();
        nanos.addAndGet(1);
        assertThat(ring.isActiveKeyCached()).isFalse();
    }

    @Test
    void aRotationOnAnotherReplicaLeavesThisOneWithoutTheActiveKey() {
        ring.activeRecord();
        try (DataKeyRing other = ring()) {
            other.rotateActive();
            assertThat(other.isActiveKeyCached()).isTrue();
            assertThat(ring.isActiveKeyCached()).isFalse();
        }
    }
}
