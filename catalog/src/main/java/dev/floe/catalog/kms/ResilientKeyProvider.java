package dev.floe.catalog.kms;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps any {@link KeyProvider} so that every call has a timeout, is retried a bounded number of
 * times with exponential backoff on transient failures, and goes through a {@link CircuitBreaker}.
 * Permanent failures ({@link KmsException}) are not retried. When the breaker is open, calls fail
 * at once with {@link KmsUnavailableException} carrying the remaining open time as retry hint.
 * It also counts remote calls, which the benchmarks and the outage tests read.
 */
public final class ResilientKeyProvider implements KeyProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientKeyProvider.class);

    private final KeyProvider delegate;
    private final KmsCallPolicy policy;
    private final CircuitBreaker breaker;
    private final ExecutorService executor;
    private final AtomicLong calls = new AtomicLong();
    private final Sleeper sleeper;
    private final KmsMetrics metrics;

    /** Waits between attempts; a seam so unit tests need not wait for real. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public ResilientKeyProvider(KeyProvider delegate, KmsCallPolicy policy) {
        this(delegate, policy, KmsMetrics.NONE);
    }

    public ResilientKeyProvider(KeyProvider delegate, KmsCallPolicy policy, KmsMetrics metrics) {
        this(delegate, policy, Clock.systemUTC(), d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()), metrics);
    }

    public ResilientKeyProvider(KeyProvider delegate, KmsCallPolicy policy, Clock clock, Sleeper sleeper) {
        this(delegate, policy, clock, sleeper, KmsMetrics.NONE);
    }

    public ResilientKeyProvider(
            KeyProvider delegate, KmsCallPolicy policy, Clock clock, Sleeper sleeper, KmsMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.policy = policy;
        this.breaker = new CircuitBreaker(policy.breakerThreshold(), policy.breakerOpenFor(), clock);
        this.sleeper = sleeper;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "floe-kms-" + delegate.kind());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        return call("wrap", () -> delegate.wrap(dataKey));
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        return call("unwrap", () -> delegate.unwrap(wrapped));
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped) {
        return call("rewrap", () -> delegate.rewrap(wrapped));
    }

    @Override
    public MasterKeyVersion currentVersion() {
        return call("currentVersion", delegate::currentVersion);
    }

    @Override
    public void checkHealth() {
        call("health", () -> {
            delegate.checkHealth();
            return Boolean.TRUE;
        });
    }

    /** Remote calls attempted so far (each retry counts). */
    public long remoteCalls() {
        return calls.get();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        delegate.close();
    }

    private <T> T call(String operation, Supplier<T> body) {
        KmsUnavailableException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(policy.backoffBefore(attempt));
            }
            if (!breaker.tryAcquire()) {
                metrics.kmsCall(kind(), operation, "rejected");
                throw new KmsUnavailableException(
                        "KMS (" + kind() + ") unavailable: circuit breaker open after " + "repeated failures",
                        breaker.remainingOpen());
            }
            try {
                T result = attempt(body);
                breaker.onSuccess();
                metrics.kmsCall(kind(), operation, "success");
                return result;
            } catch (KmsUnavailableException e) {
                breaker.onFailure();
                metrics.kmsCall(kind(), operation, "unavailable");
                last = e;
                LOG.warn(
                        "KMS {} {} attempt {}/{} failed: {}",
                        kind(),
                        operation,
                        attempt,
                        policy.maxAttempts(),
                        e.getMessage());
            } catch (RuntimeException e) {
                // A definite answer from the KMS: it is up, retrying will not help.
                breaker.onSuccess();
                metrics.kmsCall(kind(), operation, "error");
                throw e;
            }
        }
        throw new KmsUnavailableException(
                "KMS (" + kind() + ") " + operation + " failed after " + policy.maxAttempts() + " attempts: "
                        + last.getMessage(),
                retryHint(),
                last);
    }

    private <T> T attempt(Supplier<T> body) {
        calls.incrementAndGet();
        Future<T> future = executor.submit(body::get);
        try {
            return future.get(policy.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KmsUnavailableException(
                    "KMS (" + kind() + ") call timed out after " + policy.callTimeout(), policy.breakerOpenFor());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new KmsException("KMS (" + kind() + ") call failed: " + cause, cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new KmsUnavailableException("interrupted while waiting for the KMS", Duration.ofSeconds(1));
        } catch (CancellationException e) {
            throw new KmsUnavailableException("KMS call cancelled", Duration.ofSeconds(1));
        }
    }

    private Duration retryHint() {
        Duration open = breaker.remainingOpen();
        return open.isZero() ? Duration.ofSeconds(5) : open;
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmsUnavailableException("interrupted during KMS retry backoff", Duration.ofSeconds(1));
        }
    }
}
