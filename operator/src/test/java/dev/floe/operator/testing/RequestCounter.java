package dev.floe.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests a Fabric8 client sends, and remembers the writes (anything but GET). */
public final class RequestCounter implements Interceptor {
    private final AtomicLong requests = new AtomicLong();
    private final List<String> writes = new CopyOnWriteArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        requests.incrementAndGet();
        if (!"GET".equals(request.method())) {
            writes.add(request.method() + " " + request.uri().getPath());
        }
    }

    public long requests() {
        return requests.get();
    }

    public List<String> writes() {
        return List.copyOf(writes);
    }

    public void reset() {
        requests.set(0);
        writes.clear();
    }
}
