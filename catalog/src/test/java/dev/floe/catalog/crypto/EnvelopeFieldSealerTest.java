package dev.floe.catalog.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeFieldSealerTest {

    private static final SealContext LOCATION = new SealContext("wh", "table", "db\u001forders", "metadata_location");
    private static final byte[] SECRET =
            "s3://bucket/db/orders/metadata/00001.metadata.json".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private DataKeyRing ring;
    private EnvelopeFieldSealer sealer;
    private LocalKeyProvider provider;
    private DataKeyRepository repo;

    @BeforeEach
    void setUp() {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        provider = LocalKeyProvider.fromEnvironment(
                "FLOE_TEST_KEY", Map.of("FLOE_TEST_KEY", Base64.getEncoder().encodeToString(master)));
        repo = new DataKeyRepository(SqliteDataKeyStores.migrated(dir));
        ring = new DataKeyRing(
                repo, provider, new DataKeyCache(16, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
        sealer = new EnvelopeFieldSealer(ring);
    }

    @AfterEach
    void tearDown() {
        ring.close();
        provider.close();
    }

    @Test
    void roundTripsAndNeverContainsThePlaintext() {
        byte[] sealed = sealer.seal(SECRET, LOCATION);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3://bucket");
        assertThat(sealer.open(sealed, LOCATION)).isEqualTo(SECRET);
    }

    @Test
    void opensWithoutWaitingOnlyWithACachedDataKey() {
        byte[] sealed = sealer.seal(SECRET, LOCATION);
        assertThat(sealer.openWithoutWaiting(sealed, LOCATION))
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(SECRET));

        // another replica's ring: same key store and KMS, nothing cached yet
        try (DataKeyRing cold = new DataKeyRing(
                repo, provider, new DataKeyCache(16, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30))) {
            EnvelopeFieldSealer coldSealer = new EnvelopeFieldSealer(cold);
            assertThat(coldSealer.openWithoutWaiting(sealed, LOCATION))
                    .as("would need a KMS unwrap")
                    .isEmpty();
            assertThat(cold.isCached(SealedValueFormat.dekIdOf(sealed)))
                    .as("and did not make one")
                    .isFalse();

            assertThat(coldSealer.open(sealed, LOCATION)).isEqualTo(SECRET);
            assertThat(coldSealer.openWithoutWaiting(sealed, LOCATION))
                    .hasValueSatisfying(v -> assertThat(v).isEqualTo(SECRET));
        }
    }

    @Test
    void writesTheVersionedFormat() {
        byte[] sealed = sealer.seal(SECRET, LOCATION);
        UUID active = ring.activeRecord().id();
        assertThat(sealed.length).isEqualTo(SECRET.length + 2 + 1 + 16 + 12 + 16);
        assertThat(sealed[0]).isEqualTo((byte) 0xF1);
        assertThat(sealed[1]).isEqualTo((byte) 0x0E);
        assertThat(sealed[2]).isEqualTo((byte) 1);
        ByteBuffer id = ByteBuffer.wrap(sealed, 3, 16);
        assertThat(new UUID(id.getLong(), id.getLong())).isEqualTo(active);
        assertThat(SealedValueFormat.dekIdOf(sealed)).isEqualTo(active);
    }

    @Test
    void aValueSwappedIntoAnotherRowOrFieldFailsToOpen() {
        byte[] sealed = sealer.seal(SECRET, LOCATION);
        for (SealContext other : new SealContext[] {
            new SealContext("wh2", "table", "db\u001forders", "metadata_location"),
            new SealContext("wh", "view", "db\u001forders", "metadata_location"),
            new SealContext("wh", "table", "db\u001fcustomers", "metadata_location"),
            new SealContext("wh", "table", "db\u001forders", "properties")
        }) {
            assertThatThrownBy(() -> sealer.open(sealed, other))
                    .isInstanceOf(SealedValueException.class)
                    .hasMessageContaining("failed authentication");
        }
    }

    @Test
    void swappingTwoRowsCiphertextsIsDetected() {
        SealContext a = new SealContext("wh", "table", "db\u001fa", "metadata_location");
        SealContext b = new SealContext("wh", "table", "db\u001fb", "metadata_location");
        byte[] sealedA = sealer.seal("location-a".getBytes(), a);
        byte[] sealedB = sealer.seal("location-b".getBytes(), b);
        assertThatThrownBy(() -> sealer.open(sealedA, b)).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> sealer.open(sealedB, a)).isInstanceOf(SealedValueException.class);
        assertThat(sealer.open(sealedA, a)).isEqualTo("location-a".getBytes());
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] sealed = sealer.seal("short secret".getBytes(), LOCATION);
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> sealer.open(tampered, LOCATION))
                        .as("byte %d bit %d", i, bit)
                        .isInstanceOf(SealedValueException.class);
            }
        }
    }

    @Test
    void truncatedAndForeignValuesAreRejected() {
        byte[] sealed = sealer.seal(SECRET, LOCATION);
        byte[] truncated = java.util.Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> sealer.open(truncated, LOCATION)).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> sealer.open(new byte[10], LOCATION))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("truncated");
        byte[] wrongVersion = sealed.clone();
        wrongVersion[2] = 9;
        assertThatThrownBy(() -> sealer.open(wrongVersion, LOCATION)).hasMessageContaining("format version 9");
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        Set<String> nonces = new HashSet<>();
        Set<String> ciphertexts = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] sealed = sealer.seal(SECRET, LOCATION);
            SealedValueFormat.Parsed p = SealedValueFormat.parse(sealed);
            nonces.add(Base64.getEncoder().encodeToString(p.nonce()));
            ciphertexts.add(Base64.getEncoder().encodeToString(p.ciphertextAndTag()));
        }
        assertThat(nonces).hasSize(10_000);
        assertThat(ciphertexts).hasSize(10_000);
    }

    @Test
    void opensEmptyValues() {
        byte[] sealed = sealer.seal(new byte[0], LOCATION);
        assertThat(sealer.open(sealed, LOCATION)).isEmpty();
    }

    @Test
    void valuesSealedUnderARetiredKeyStillOpenAfterANewActiveKey() {
        byte[] old = sealer.seal(SECRET, LOCATION);
        UUID first = ring.activeRecord().id();
        ring.rotateActive();
        byte[] fresh = sealer.seal(SECRET, LOCATION);
        assertThat(SealedValueFormat.dekIdOf(fresh)).isNotEqualTo(first);
        assertThat(sealer.open(old, LOCATION)).isEqualTo(SECRET);
        assertThat(sealer.open(fresh, LOCATION)).isEqualTo(SECRET);
        assertThat(ring.list())
                .extracting(DataKeyRecord::state)
                .containsExactly(DataKeyState.RETIRED, DataKeyState.ACTIVE);
    }

    @Test
    void aDestroyedKeyNamesItselfAndNothingElse() {
        byte[] old = sealer.seal(SECRET, LOCATION);
        UUID first = ring.activeRecord().id();
        ring.rotateActive();
        assertThat(ring.destroy(first)).isTrue();
        assertThatThrownBy(() -> sealer.open(old, LOCATION))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("destroyed")
                .hasMessageNotContaining("s3://");
    }
}
