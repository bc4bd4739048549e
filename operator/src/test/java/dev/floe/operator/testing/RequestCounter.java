package dev.floe.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests a Fabric8 client sends, and remembers the writes (anything but GET) and the
 * writes the API server refused (with whether the request carried a resourceVersion precondition).
 */
public final class RequestCounter implements Interceptor {
    private final AtomicLong requests = new AtomicLong();
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        requests.incrementAndGet();
        if (!"GET".equals(request.method())) {
            writes.add(request.method() + " " + request.uri().getPath());
        }
    }

    @Override
    public void after(
            HttpRequest request,
            io.fabric8.kubernetes.client.http.HttpResponse<?> response,
            io.fabric8.kubernetes.client.http.AsyncBody.Consumer<List<java.nio.ByteBuffer>> consumer) {
        if (response.code() >= 400 && !"GET".equals(request.method())) {
            String body = request.bodyString();
            boolean precondition = body != null && body.contains("\"resourceVersion\"");
            refused.add(response.code() + " " + request.method() + " "
                    + request.uri().getPath() + (precondition ? " (with resourceVersion)" : ""));
        }
    }

    /** Writes answered with 4xx/5xx, as "code METHOD path". */
    public List<String> refused() {
        return List.copyOf(refused);
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
        refused.clear();
    }
}
