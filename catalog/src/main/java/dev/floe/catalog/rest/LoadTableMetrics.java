package dev.floe.catalog.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Counts where table loads are served: {@code floe_table_loads_total{thread="event-loop"}} for
 * loads answered at once on the request's event loop, {@code thread="blocking"} for loads handed
 * to the blocking pool (a remote store or object store, a busy database, a data key not cached, a
 * metadata file not seen before, or, most of the time, a caller whose credential needed a lookup:
 * when that lookup ends before the event loop has gone on, Micronaut runs the route on the event
 * loop). A platform team reads the ratio to see whether loads take the fast path.
 */
@Singleton
public class LoadTableMetrics {

    static final String NAME = "floe.table.loads";

    private final @Nullable Counter eventLoop;
    private final @Nullable Counter blocking;

    public LoadTableMetrics(@Nullable MeterRegistry meters) {
        this.eventLoop = meters == null ? null : counter(meters, "event-loop");
        this.blocking = meters == null ? null : counter(meters, "blocking");
    }

    private static Counter counter(MeterRegistry meters, String thread) {
        return Counter.builder(NAME)
                .description("Table loads by the thread that served them")
                .tag("thread", thread)
                .register(meters);
    }

    void servedOnEventLoop() {
        if (eventLoop != null) {
            eventLoop.increment();
        }
    }

    void servedOnBlockingThread() {
        if (blocking != null) {
            blocking.increment();
        }
    }
}
