package dev.floe.catalog.server;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a stopping replica's keep-alive connections back to their clients before it closes them.
 *
 * <p>Closing an idle keep-alive connection races with a client that is just sending its next
 * request on it: the client sees the connection drop ({@code RemoteDisconnected} in Python's
 * requests, which PyIceberg does not retry). While draining, every response carries
 * {@code Connection: close} ({@link ShutdownDrainFilter}), so a client in use closes its connection
 * itself after its next answer and opens the next one to another replica. What is still open at
 * the end of the drain has had no request for the whole drain, and only then is it closed.
 */
@Singleton
public final class ShutdownDrain implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final long POLL_MILLIS = 50;

    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile boolean draining;

    /** Counts the accepted connections of every listener (API and management). */
    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new ConnectionCounter());
        return event.getBean();
    }

    /** Whether responses should tell the client to close its connection. */
    boolean draining() {
        return draining;
    }

    int openConnections() {
        return openConnections.get();
    }

    /**
     * Starts answering with {@code Connection: close} and returns when every connection is closed
     * or {@code period} has passed, whichever comes first. The listener keeps accepting meanwhile:
     * a node whose kube-proxy has not yet dropped this endpoint still gets an answer.
     */
    void drain(Duration period) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + period.toNanos();
        while (openConnections.get() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS); // a wall-clock period, nothing to be notified of
        }
    }

    private final class ConnectionCounter implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            if (role == ChannelRole.CONNECTION) {
                openConnections.incrementAndGet();
                channel.closeFuture().addListener(closed -> openConnections.decrementAndGet());
            }
            return this;
        }
    }
}
