package dev.floe.catalog.server;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * While the server drains ({@link ShutdownDrain}), tells each client to close its connection after
 * this response; Micronaut's Netty handler then closes it once the response is written.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class ShutdownDrainFilter implements Ordered {

    private final ShutdownDrain drain;

    public ShutdownDrainFilter(ShutdownDrain drain) {
        this.drain = drain;
    }

    @ResponseFilter
    public void closeConnectionWhileDraining(MutableHttpResponse<?> response) {
        if (drain.draining()) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
    }

    /** First in, so last out: it sees every response, those of filters that answer early included. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before();
    }
}
