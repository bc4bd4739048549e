package dev.floe.catalog.server;

import dev.floe.catalog.crypto.EnvelopeEncryption;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code kms} component of {@code /health/readiness}: UP, DEGRADED (KMS unreachable, but this
 * replica serves from its cached active data key; HTTP 200) or DOWN (KMS unreachable and the active
 * data key not cached; HTTP 503), as decided by {@link KmsReadiness}. Probes cost at most one KMS
 * health call per {@code floe.readiness.kms-check-interval} (default 30 s). Details name the
 * provider, the breaker state and whether the active data key is cached; each change of status is
 * logged once.
 */
@Singleton
@Readiness
public class KmsHealthIndicator implements HealthIndicator {

    /** Longest a probe waits for a KMS health call in flight (the call itself goes on). */
    static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(KmsHealthIndicator.class);

    private final EnvelopeEncryption encryption;
    private final ExecutorService executor;
    private final KmsReadiness readiness;
    private String lastStatus = HealthStatus.UP.getName();

    public KmsHealthIndicator(
            EnvelopeEncryption encryption, @Value("${floe.readiness.kms-check-interval:30s}") Duration checkInterval) {
        this.encryption = encryption;
        // One thread is enough: at most one health call runs at a time.
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "floe-kms-readiness");
            t.setDaemon(true);
            return t;
        });
        this.readiness = new KmsReadiness(
                encryption.provider(),
                encryption::isActiveKeyCached,
                checkInterval,
                PROBE_WAIT,
                Clock.systemUTC(),
                executor);
    }

    @Override
    public Publisher<HealthResult> getResult() {
        // assess() may wait up to PROBE_WAIT for a health call: not on the event loop
        return Mono.fromCallable(this::result).subscribeOn(Schedulers.boundedElastic());
    }

    HealthResult result() {
        KmsReadiness.Verdict verdict = readiness.assess();
        logChange(verdict);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", encryption.provider().kind());
        details.put("breaker", verdict.breaker().name());
        details.put("reachable", verdict.status() == HealthStatus.UP);
        if (verdict.activeKeyCached() != null) {
            details.put("activeDataKeyCached", verdict.activeKeyCached());
        }
        if (verdict.checkedAt() != null) {
            details.put("lastHealthCall", verdict.checkedAt().toString());
        }
        details.put("attached", encryption.isAttached());
        return HealthResult.builder("kms", verdict.status()).details(details).build();
    }

    private synchronized void logChange(KmsReadiness.Verdict verdict) {
        String status = verdict.status().getName();
        if (status.equals(lastStatus)) {
            return;
        }
        lastStatus = status;
        // the failure text comes from KMS client errors, which name no credential
        if (verdict.status() == HealthStatus.UP) {
            LOG.info("readiness: kms UP again");
        } else if (verdict.status() == KmsReadiness.DEGRADED) {
            LOG.warn(
                    "readiness: kms DEGRADED: KMS unreachable ({}); serving from cached data keys, "
                            + "the replica stays in the Service",
                    verdict.failure());
        } else {
            LOG.warn(
                    "readiness: kms DOWN: KMS unreachable ({}) and the active data key is not cached",
                    verdict.failure());
        }
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
