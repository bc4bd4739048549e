package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.rest.StoredResponse;
import dev.floe.catalog.store.IdempotencyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable idempotency store on a real SQLite metadata store: a key claimed by another replica
 * (written straight into the shared table, as that replica would) is waited for and replayed, or
 * answered 503 while it is still running; an expired claim is taken over; 5xx results are not kept.
 */
class StoreIdempotencyStoreIT {

    private static final String KEY = "0190f1e4-0000-7000-8000-000000000001";
    private static final String OPERATION = "POST /v1/default/namespaces";

    @TempDir
    Path dir;

    private MetadataStore store;
    private IdempotencyRepository repository;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void open() {
        store = MetadataStore.open(dir.toString(), TestSealers.scrambling());
        repository = store.idempotency();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StoreIdempotencyStore idempotency(Duration inFlightWait) {
        return new StoreIdempotencyStore(
                repository,
                Clock.systemUTC(),
                new IdempotencySettings(
                        Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5), inFlightWait));
    }

    private StoredResponse run(int status, String body) {
        runs.incrementAndGet();
        return new StoredResponse(status, body);
    }

    @Test
    void replaysTheFirstFinalResponseWithoutRunningAgain() {
        StoreIdempotencyStore idempotency = idempotency(Duration.ofSeconds(5));
        StoredResponse first = idempotency.execute(KEY, OPERATION, () -> run(200, "{\"n\":1}"));
        StoredResponse again = idempotency(Duration.ofSeconds(5)).execute(KEY, OPERATION, () -> run(200, "{\"n\":2}"));
        assertThat(again).isEqualTo(first);
        assertThat(runs).hasValue(1);
        assertThat(repository.find("*", KEY, Instant.now()).orElseThrow().expiresAt())
                .isAfter(Instant.now().plus(Duration.ofMinutes(29)));
    }

    @Test
    void waitsForAKeyClaimedByAnotherReplicaAndReplaysItsResult() throws Exception {
        Instant now = Instant.now();
        String fingerprint = fingerprintOfFirstRun();
        assertThat(repository.claim("*", KEY, fingerprint, now, now.plusSeconds(60)))
                .isTrue();
        CompletableFuture<StoredResponse> waiting = CompletableFuture.supplyAsync(
                () -> idempotency(Duration.ofSeconds(20)).execute(KEY, OPERATION, () -> run(200, "{\"mine\":true}")));
        // the waiter polls the claim; the other replica finishes
        Awaitility.await()
                .during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !waiting.isDone());
        assertThat(repository.complete("*", KEY, 200, "{\"theirs\":true}", now.plusSeconds(600)))
                .isTrue();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(new StoredResponse(200, "{\"theirs\":true}"));
        assertThat(runs).hasValue(0);
    }

    @Test
    void answers503WhileAnotherReplicaStillRunsTheKey() {
        Instant now = Instant.now();
        assertThat(repository.claim("*", KEY, fingerprintOfFirstRun(), now, now.plusSeconds(60)))
                .isTrue();
        assertThatThrownBy(() -> idempotency(Duration.ofMillis(300)).execute(KEY, OPERATION, () -> run(200, "{}")))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("still in progress");
        assertThat(runs).hasValue(0);
    }

    @Test
    void takesOverAClaimWhoseLeaseRanOut() {
        Instant now = Instant.now();
        assertThat(repository.claim("*", KEY, fingerprintOfFirstRun(), now.minusSeconds(120), now.minusSeconds(1)))
                .isTrue();
        StoredResponse response = idempotency(Duration.ofSeconds(5)).execute(KEY, OPERATION, () -> run(204, null));
        assertThat(response).isEqualTo(new StoredResponse(204, null));
        assertThat(runs).hasValue(1);
        assertThat(repository.find("*", KEY, Instant.now()).orElseThrow().status())
                .isEqualTo(204);
    }

    @Test
    void doesNotKeepServerErrorsSoARetryRunsAgain() {
        StoreIdempotencyStore idempotency = idempotency(Duration.ofSeconds(5));
        assertThat(idempotency.execute(KEY, OPERATION, () -> run(503, "{}")).status())
                .isEqualTo(503);
        assertThat(repository.find("*", KEY, Instant.now())).isEmpty();
        assertThat(idempotency.execute(KEY, OPERATION, () -> run(200, "{}")).status())
                .isEqualTo(200);
        assertThat(runs).hasValue(2);
    }

    /** The fingerprint the store records for {@link #OPERATION}, read back from a finished run on another key. */
    private String fingerprintOfFirstRun() {
        String probe = "0190f1e4-0000-7000-8000-0000000000ff";
        idempotency(Duration.ofSeconds(1)).execute(probe, OPERATION, () -> new StoredResponse(204, null));
        return repository.find("*", probe, Instant.now()).orElseThrow().fingerprint();
    }
}
