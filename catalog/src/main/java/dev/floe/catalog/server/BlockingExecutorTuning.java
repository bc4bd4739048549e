package dev.floe.catalog.server;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;

/**
 * Wraps Micronaut's {@code blocking} executor (where, with {@code thread-selection=BLOCKING}, the
 * controllers run, and where {@code security/BlockingAuthenticationFilter} checks credentials that
 * need I/O) in {@link OnPoolInlineExecutorService}, so a request that is already on a blocking
 * worker runs its controller on that same worker instead of being handed to another one. It runs
 * after the other listeners, so Micrometer's executor metrics binder has instrumented the pool
 * first and its metrics stay bound; the {@code io} executor it is built on is left as it is.
 */
@Singleton
public class BlockingExecutorTuning implements BeanCreatedEventListener<ExecutorService>, Ordered {

    @Override
    public ExecutorService onCreated(BeanCreatedEvent<ExecutorService> event) {
        ExecutorService created = event.getBean();
        String name = event.getBeanIdentifier().getName();
        if (TaskExecutors.BLOCKING.equals(name) && !(created instanceof OnPoolInlineExecutorService)) {
            return new OnPoolInlineExecutorService(created);
        }
        return created;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
