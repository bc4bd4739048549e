package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.testing.MotoS3Sts;
import dev.floe.catalog.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vending cache against a real STS (moto's): STS is called once per (table, access level)
 * until the credential comes within the refresh margin of its expiry, then once more. Time passes
 * by moving the cache's clock and STS's clock together (see {@link MotoS3Sts#advanceClock}).
 */
class VendedCredentialCacheIT {

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;

    @BeforeAll
    static void start() {
        moto = new MotoS3Sts(dir, "warehouse").start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    private static S3CredentialVendor vendor(Duration lifetime) {
        return new S3CredentialVendor(moto.stsClient(moto.endpoint()), moto.roleArn(), lifetime, null);
    }

    @Test
    void callsStsOnlyOnFirstUseAndWhenNearExpiry() {
        Duration lifetime = Duration.ofMinutes(60);
        start = Instant.now();
        MutableClock clock = new MutableClock(start);
        try (S3CredentialVendor vendor = vendor(lifetime)) {
            VendedCredentialCache cache = new VendedCredentialCache(vendor, clock, lifetime);
            String a = "s3://warehouse/tenant/sales/a";
            VendedCredential first = cache.get(a, AccessLevel.READ);
            for (int i = 0; i < 1000; i++) {
                assertThat(cache.get(a, AccessLevel.READ)).isSameAs(first);
            }
            assertThat(vendor.calls()).isEqualTo(1);

            // the other level and another table are other credentials
            assertThat(cache.get(a, AccessLevel.READ_WRITE).config()).isNotEqualTo(first.config());
            cache.get("s3://warehouse/tenant/sales/b", AccessLevel.READ);
            assertThat(vendor.calls()).isEqualTo(3);

            // 44 minutes on: still more than the margin (a quarter, 15 minutes) left
            advance(clock, Duration.ofMinutes(44));
            assertThat(cache.get(a, AccessLevel.READ)).isSameAs(first);
            assertThat(vendor.calls()).isEqualTo(3);

            // 46 minutes on: within the margin, so one refresh, then reuse again
            advance(clock, Duration.ofMinutes(46));
            VendedCredential refreshed = cache.get(a, AccessLevel.READ);
            assertThat(refreshed).isNotSameAs(first);
            assertThat(cache.get(a, AccessLevel.READ)).isSameAs(refreshed);
            assertThat(vendor.calls()).isEqualTo(4);
        } finally {
            moto.advanceClock(Duration.ZERO);
        }
    }

    /** Moves the cache's clock by {@code total} minus what it moved before, and STS's to {@code total}. */
    private static void advance(MutableClock clock, Duration total) {
        Duration moved = Duration.between(start, clock.instant());
        clock.advance(total.minus(moved));
        moto.advanceClock(total);
    }

    private static Instant start;

    @Test
    void aCatalogClockBehindTheServiceStillReplacesCredentialsInTime() {
        // the catalog's clock is 20 minutes behind STS's: judged by STS's Expiration alone, the
        // credentials would look fresh for 65 minutes of our clock, 5 past their real expiry; judged
        // by when we asked plus the lifetime, they are replaced after 45 as without skew
        Duration lifetime = Duration.ofMinutes(60);
        MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofMinutes(20)));
        try (S3CredentialVendor vendor = vendor(lifetime)) {
            VendedCredentialCache cache = new VendedCredentialCache(vendor, clock, lifetime);
            VendedCredential first = cache.get("s3://warehouse/tenant/sales/a", AccessLevel.READ);
            clock.advance(Duration.ofMinutes(44));
            assertThat(cache.get("s3://warehouse/tenant/sales/a", AccessLevel.READ))
                    .isSameAs(first);
            clock.advance(Duration.ofMinutes(2));
            assertThat(cache.get("s3://warehouse/tenant/sales/a", AccessLevel.READ))
                    .isNotSameAs(first);
            assertThat(vendor.calls()).isEqualTo(2);
        }
    }

    @Test
    void marginIsAQuarterOfTheLifetimeAtLeastFiveMinutesAtMostHalf() {
        assertThat(VendedCredentialCache.margin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(15));
        assertThat(VendedCredentialCache.margin(Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(5));
        assertThat(VendedCredentialCache.margin(Duration.ofMinutes(8))).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void toStringNamesNoSecret() {
        try (S3CredentialVendor vendor = vendor(Duration.ofMinutes(15))) {
            VendedCredential credential = vendor.vend("s3://warehouse/tenant/sales/a", AccessLevel.READ);
            assertThat(credential.toString())
                    .contains("s3://warehouse/tenant/sales/a")
                    .doesNotContain(credential.config().get("s3.secret-access-key"))
                    .doesNotContain(credential.config().get("s3.session-token"))
                    .doesNotContain(credential.config().get("s3.access-key-id"));
        }
    }

    @Test
    void disabledVendingHasNoCredentials() {
        assertThat(StorageCredentialVending.OFF.credentials("s3://warehouse/x", AccessLevel.READ))
                .isEmpty();
        assertThat(new WarehouseSettings.S3("", "", false).vending().enabled()).isFalse();
    }
}
