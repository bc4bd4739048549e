package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.UnprocessableEntityException;
import org.junit.jupiter.api.Test;

/** The in-process layer of idempotency holds running requests only, and binds a key to its fingerprint. */
class InFlightRequestsTest {

    private final InFlightRequests inFlight = new InFlightRequests();

    @Test
    void holdsNothingOnceARequestHasFinished() {
        for (int i = 0; i < 1_000; i++) {
            String body = "x".repeat(10_000);
            assertThat(inFlight.run("key-" + i, "fp", () -> new StoredResponse(200, body))
                            .body())
                    .isEqualTo(body);
        }
        assertThat(inFlight.size()).isZero();
        assertThatThrownBy(() -> inFlight.run("failing", "fp", () -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void aRequestWithTheKeyOfARunningOneButAnotherFingerprintIsRefused() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<StoredResponse> first = CompletableFuture.supplyAsync(() -> inFlight.run("k", "fp", () -> {
            started.countDown();
            await(release);
            return new StoredResponse(200, "{\"first\":true}");
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger otherRuns = new AtomicInteger();

        assertThatThrownBy(() -> inFlight.run("k", "other", () -> {
                    otherRuns.incrementAndGet();
                    return new StoredResponse(200, "{}");
                }))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("different request");

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"first\":true}");
        assertThat(otherRuns).hasValue(0);
        assertThat(inFlight.size()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
