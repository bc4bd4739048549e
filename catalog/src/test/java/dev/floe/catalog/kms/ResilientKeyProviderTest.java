package dev.floe.catalog.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilientKeyProviderTest {

    /** A provider whose currentVersion() behaves as the test scripts it. */
    private static final class Scripted implements KeyProvider {
        final AtomicInteger calls = new AtomicInteger();
        volatile RuntimeException failure;
        volatile CountDownLatch hang;

        @Override
        public String kind() {
            return "scripted";
        }

        @Override
        public WrappedKey wrap(SecretBytes dataKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SecretBytes unwrap(WrappedKey wrapped) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MasterKeyVersion currentVersion() {
            calls.incrementAndGet();
            if (hang != null) {
                try {
                    hang.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new MasterKeyVersion("k", "1");
        }
    }

    private final List<Duration> sleeps = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));

    private ResilientKeyProvider guarded(Scripted p, int attempts, int threshold) {
        return new ResilientKeyProvider(
                p,
                new KmsCallPolicy(
                        Duration.ofMillis(300),
                        attempts,
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        threshold,
                        Duration.ofSeconds(30)),
                clock,
                sleeps::add);
    }

    @Test
    void retriesTransientFailuresWithGrowingBoundedBackoff() {
        Scripted p = new Scripted();
        p.failure = new KmsUnavailableException("connection refused", Duration.ofSeconds(1));
        ResilientKeyProvider r = guarded(p, 4, 100);
        assertThatThrownBy(r::currentVersion)
                .isInstanceOf(KmsUnavailableException.class)
                .hasMessageContaining("failed after 4 attempts");
        assertThat(p.calls).hasValue(4);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
    }

    @Test
    void doesNotRetryPermanentFailures() {
        Scripted p = new Scripted();
        p.failure = new KmsException("key disabled");
        ResilientKeyProvider r = guarded(p, 4, 1);
        assertThatThrownBy(r::currentVersion).isInstanceOf(KmsException.class).hasMessage("key disabled");
        assertThat(p.calls).hasValue(1);
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void opensTheBreakerThenLetsOneTrialThroughAndClosesOnSuccess() {
        Scripted p = new Scripted();
        p.failure = new KmsUnavailableException("down", Duration.ofSeconds(1));
        ResilientKeyProvider r = guarded(p, 1, 2);
        assertThatThrownBy(r::currentVersion).isInstanceOf(KmsUnavailableException.class);
        assertThatThrownBy(r::currentVersion).isInstanceOf(KmsUnavailableException.class);
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        int before = p.calls.get();
        assertThatThrownBy(r::currentVersion)
                .hasMessageContaining("circuit breaker open")
                .satisfies(e ->
                        assertThat(((KmsUnavailableException) e).retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        assertThat(p.calls).hasValue(before);

        clock.advance(Duration.ofSeconds(31));
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        p.failure = null;
        assertThat(r.currentVersion().version()).isEqualTo("1");
        assertThat(r.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void timesOutAHangingCall() {
        Scripted p = new Scripted();
        p.hang = new CountDownLatch(1);
        ResilientKeyProvider r = guarded(p, 1, 5);
        try {
            assertThatThrownBy(r::currentVersion)
                    .isInstanceOf(KmsUnavailableException.class)
                    .hasMessageContaining("timed out");
        } finally {
            p.hang.countDown();
            r.close();
        }
    }
}
