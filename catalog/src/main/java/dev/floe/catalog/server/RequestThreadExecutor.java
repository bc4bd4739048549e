package dev.floe.catalog.server;

import dev.floe.catalog.rest.RequestThread;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task at once on the thread that submits it: what {@code @ExecuteOn(RequestThread.EXECUTOR)}
 * resolves to, so a route that is safe on the event loop runs there (see {@link RequestThread}).
 * It owns no threads, so there is nothing to shut down.
 */
@Singleton
@Named(RequestThread.EXECUTOR)
final class RequestThreadExecutor extends AbstractExecutorService {

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
