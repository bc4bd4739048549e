package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OnPoolInlineExecutorServiceTest {

    @Test
    void runsOnAPoolThreadFromOutsideAndInlineFromInside() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        OnPoolInlineExecutorService executor = new OnPoolInlineExecutorService(pool);
        try {
            Thread caller = Thread.currentThread();
            CompletableFuture<Thread[]> threads = new CompletableFuture<>();
            executor.execute(() -> {
                Thread outer = Thread.currentThread();
                executor.execute(() -> threads.complete(new Thread[] {outer, Thread.currentThread()}));
            });
            Thread[] seen = threads.get(10, TimeUnit.SECONDS);
            assertThat(seen[0]).as("submitted from outside: a pool worker").isNotSameAs(caller);
            assertThat(seen[1])
                    .as("submitted from a worker: runs on that worker")
                    .isSameAs(seen[0]);
            assertThat(executor.isPoolThread()).isFalse();
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.isTerminated()).isTrue();
        }
    }
}
