package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.kms.CircuitBreaker;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.testing.MutableClock;
import dev.floe.catalog.testing.UnreachableKeyProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthLevelOfDetail;
import io.micronaut.management.health.aggregator.DefaultHealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.ApplicationConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The KMS readiness decision: health calls at most once per interval, the breaker state, DEGRADED
 * (HTTP 200) with the active data key cached versus DOWN without it, and how Micronaut's aggregator
 * ranks the DEGRADED status against the other readiness components.
 */
class KmsReadinessTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    /**
     * A KMS that refuses wrap and unwrap, and whose health call ({@code currentVersion}) is counted and
     * can fail or block on demand.
     */
    private static final class FakeKms extends UnreachableKeyProvider {
        final AtomicInteger healthCalls = new AtomicInteger();
        final AtomicBoolean down = new AtomicBoolean();
        volatile CountDownLatch block;

        FakeKms() {
            super("fake");
        }

        @Override
        public MasterKeyVersion currentVersion() {
            healthCalls.incrementAndGet();
            CountDownLatch latch = block;
            if (latch != null) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (down.get()) {
                return super.currentVersion();
            }
            return new MasterKeyVersion("k", "1");
        }
    }

    private final FakeKms kms = new FakeKms();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
    private final AtomicBoolean activeKeyCached = new AtomicBoolean(true);
    // breaker opens after 3 consecutive failures, for 60 s; one attempt per call, no backoff
    private final ResilientKeyProvider provider = new ResilientKeyProvider(
            kms,
            new KmsCallPolicy(Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ZERO, 3, Duration.ofSeconds(60)),
            clock,
            d -> {});

    /** Runs the health call on the probe's thread, so the tests are deterministic. */
    private KmsReadiness readiness() {
        return new KmsReadiness(provider, activeKeyCached::get, INTERVAL, Duration.ofSeconds(2), clock, Runnable::run);
    }

    @Test
    void probesWithinTheIntervalShareOneKmsHealthCall() {
        KmsReadiness readiness = readiness();
        for (int i = 0; i < 100; i++) {
            assertThat(readiness.assess().status()).isEqualTo(HealthStatus.UP);
        }
        assertThat(kms.healthCalls).hasValue(1);
        clock.advance(INTERVAL.minusSeconds(1));
        readiness.assess();
        assertThat(kms.healthCalls).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            readiness.assess();
        }
        assertThat(kms.healthCalls).hasValue(2);
    }

    @Test
    void kmsUnreachableWithTheActiveKeyCachedIsDegradedAndWithoutItDown() {
        kms.down.set(true);
        KmsReadiness readiness = readiness();
        KmsReadiness.Verdict degraded = readiness.assess();
        assertThat(degraded.status()).isEqualTo(KmsReadiness.DEGRADED);
        assertThat(degraded.activeKeyCached()).isTrue();
        assertThat(degraded.healthCallOk()).isFalse();
        assertThat(degraded.failure()).contains("connection refused");

        // the cached key expired (TTL) or another replica rotated to a key this one never unwrapped
        activeKeyCached.set(false);
        KmsReadiness.Verdict down = readiness.assess();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.activeKeyCached()).isFalse();
        assertThat(kms.healthCalls)
                .as("still the one health call of this interval")
                .hasValue(1);
    }

    @Test
    void anOpenBreakerMakesTheKmsUnreachableAtOnceWithoutAHealthCall() {
        KmsReadiness readiness = readiness();
        assertThat(readiness.assess().status()).isEqualTo(HealthStatus.UP);
        assertThat(kms.healthCalls).hasValue(1);

        // real traffic fails three times: the breaker opens before the health call's interval is over
        kms.down.set(true);
        for (int i = 0; i < 3; i++) {
            try {
                provider.currentVersion();
            } catch (KmsUnavailableException expected) {
                // counted by the breaker
            }
        }
        assertThat(provider.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        int callsBefore = kms.healthCalls.get();
        clock.advance(INTERVAL); // even with the interval over, an open breaker means no call
        KmsReadiness.Verdict verdict = readiness.assess();
        assertThat(verdict.status()).isEqualTo(KmsReadiness.DEGRADED);
        assertThat(verdict.breaker()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(verdict.failure()).contains("circuit breaker OPEN");
        activeKeyCached.set(false);
        assertThat(readiness.assess().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(kms.healthCalls).hasValue(callsBefore);
    }

    @Test
    void aHalfOpenBreakerOutweighsAnEarlierSuccessAndItsTrialIsTheNextHealthCall() {
        // breaker open for 10 s only: it is half-open again well within the 30 s check interval
        ResilientKeyProvider shortOpen = new ResilientKeyProvider(
                kms,
                new KmsCallPolicy(Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ZERO, 2, Duration.ofSeconds(10)),
                clock,
                d -> {});
        KmsReadiness readiness = new KmsReadiness(
                shortOpen, activeKeyCached::get, INTERVAL, Duration.ofSeconds(2), clock, Runnable::run);
        assertThat(readiness.assess().status()).isEqualTo(HealthStatus.UP);
        kms.down.set(true);
        for (int i = 0; i < 2; i++) {
            try {
                shortOpen.currentVersion();
            } catch (KmsUnavailableException expected) {
                // counted by the breaker
            }
        }
        clock.advance(Duration.ofSeconds(11));
        assertThat(shortOpen.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        int calls = kms.healthCalls.get();
        activeKeyCached.set(false);
        KmsReadiness.Verdict verdict = readiness.assess();
        assertThat(verdict.status())
                .as("the successful health call is older than the failures")
                .isEqualTo(HealthStatus.DOWN);
        assertThat(kms.healthCalls).hasValue(calls);

        kms.down.set(false);
        clock.advance(INTERVAL);
        assertThat(readiness.assess().status()).isEqualTo(HealthStatus.UP);
        assertThat(shortOpen.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(kms.healthCalls).hasValue(calls + 1);
    }

    @Test
    void comesBackUpWithTheFirstHealthCallAfterTheKmsReturns() {
        kms.down.set(true);
        KmsReadiness readiness = readiness();
        assertThat(readiness.assess().status()).isEqualTo(KmsReadiness.DEGRADED);
        kms.down.set(false);
        assertThat(readiness.assess().status())
                .as("within the interval: the last result")
                .isEqualTo(KmsReadiness.DEGRADED);
        clock.advance(INTERVAL);
        KmsReadiness.Verdict up = readiness.assess();
        assertThat(up.status()).isEqualTo(HealthStatus.UP);
        assertThat(up.checkedAt()).isEqualTo(clock.instant());
        assertThat(kms.healthCalls).hasValue(2);
    }

    @Test
    void aSlowHealthCallAnswersTheProbeInTimeAndIsNotRepeated() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            kms.block = new CountDownLatch(1);
            KmsReadiness readiness =
                    new KmsReadiness(provider, activeKeyCached::get, INTERVAL, Duration.ofMillis(100), clock, executor);
            long start = System.nanoTime();
            KmsReadiness.Verdict waiting = readiness.assess();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(waiting.status()).isEqualTo(KmsReadiness.DEGRADED);
            assertThat(waiting.failure()).contains("still running");
            readiness.assess();
            assertThat(kms.healthCalls).as("probes share the call in flight").hasValue(1);

            kms.block.countDown();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> readiness.assess().status() == HealthStatus.UP);
            assertThat(kms.healthCalls).hasValue(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void micronautRanksDegradedAboveUpAndBelowDownWhateverOrderTheComponentsAnswerIn() {
        assertThat(overall(HealthStatus.UP, KmsReadiness.DEGRADED)).isEqualTo(KmsReadiness.DEGRADED);
        assertThat(overall(KmsReadiness.DEGRADED, HealthStatus.UP)).isEqualTo(KmsReadiness.DEGRADED);
        assertThat(overall(KmsReadiness.DEGRADED, HealthStatus.DOWN)).isEqualTo(HealthStatus.DOWN);
        assertThat(overall(HealthStatus.DOWN, KmsReadiness.DEGRADED)).isEqualTo(HealthStatus.DOWN);
        assertThat(overall(HealthStatus.UNKNOWN, KmsReadiness.DEGRADED)).isEqualTo(KmsReadiness.DEGRADED);
        // why DEGRADED leaves 'operational' unset: an operational one ranks equal to UP
        assertThat(new HealthStatus("DEGRADED", null, true, 500).compareTo(HealthStatus.UP))
                .isZero();
    }

    /** The overall status Micronaut's own aggregator computes for two components answering in this order. */
    private static HealthStatus overall(HealthStatus first, HealthStatus second) {
        HealthIndicator a = () -> Mono.just(HealthResult.builder("a", first).build());
        HealthIndicator b = () -> Mono.just(HealthResult.builder("b", second).build());
        HealthResult result = Flux.from(new DefaultHealthAggregator(new ApplicationConfiguration())
                        .aggregate(new HealthIndicator[] {a, b}, HealthLevelOfDetail.STATUS))
                .blockFirst();
        return result.getStatus();
    }
}
