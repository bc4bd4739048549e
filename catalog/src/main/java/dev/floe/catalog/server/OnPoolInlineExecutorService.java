package dev.floe.catalog.server;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs a task at once on the calling thread when that thread is already one of
 * this pool's workers, and hands it to the pool otherwise. Micronaut runs a request's blocking
 * filter on the blocking pool and then submits the controller to the same pool again; on a busy
 * machine that second hand-off (wake another worker, wait for a CPU) costs more than the work
 * itself. Running it inline keeps the request on one worker thread and never puts blocking work on
 * a Netty event loop.
 */
final class OnPoolInlineExecutorService extends AbstractExecutorService {

    private final ExecutorService pool;
    private final ThreadLocal<Boolean> onPool = ThreadLocal.withInitial(() -> Boolean.FALSE);

    OnPoolInlineExecutorService(ExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (onPool.get()) {
            task.run();
            return;
        }
        pool.execute(() -> {
            onPool.set(Boolean.TRUE);
            try {
                task.run();
            } finally {
                onPool.set(Boolean.FALSE);
            }
        });
    }

    /** Whether the calling thread is running a task of this pool (tests, diagnostics). */
    boolean isPoolThread() {
        return onPool.get();
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "OnPoolInline[" + pool + "]";
    }
}
