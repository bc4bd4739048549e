package dev.floe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The HTTP client the benchmark sends its requests with, the same for both servers, no caching.
 * {@code iceberg} (the default) is the transport of Iceberg's Java {@code RESTClient}, which Spark,
 * Trino and Flink use: Apache HttpClient 5 classic with a pooling connection manager, built as
 * {@code org.apache.iceberg.rest.HTTPClient} builds it, so with its defaults it asks for gzip
 * ({@code Accept-Encoding: gzip, x-gzip, deflate}) and decompresses. {@code jdk} is
 * {@code java.net.http.HttpClient} (HTTP/1.1, no compression), the client of earlier runs; it hands
 * each exchange between its selector thread and an executor, which adds latency to both servers alike.
 */
interface BenchClient extends AutoCloseable {

    /** Status, decompressed body length and the {@code Content-Encoding} the server chose. */
    record Response(int status, byte[] body, String encoding) {}

    Response get(String uri) throws IOException, InterruptedException;

    Response postJson(String uri, String json) throws IOException, InterruptedException;

    @Override
    void close();

    static BenchClient create(String kind, int threads) {
        return create(kind, threads, null);
    }

    /** A client that sends {@code Authorization: Bearer <token>} on every request when the token is not null. */
    static BenchClient create(String kind, int threads, String token) {
        return create(kind, threads, token, null);
    }

    /**
     * As {@link #create(String, int, String)}, also sending {@code X-Iceberg-Access-Delegation:
     * <delegation>} when it is not null (vended credentials).
     */
    static BenchClient create(String kind, int threads, String token, String delegation) {
        return switch (kind) {
            case "iceberg" -> new IcebergTransport(threads, token, delegation);
            case "jdk" -> new Jdk(threads, token, delegation);
            default -> throw new IllegalArgumentException("bench.client must be iceberg or jdk, got " + kind);
        };
    }

    /** Apache HttpClient 5 classic, configured like Iceberg's HTTPClient (compression on). */
    final class IcebergTransport implements BenchClient {
        private final CloseableHttpClient http;
        private final String token;
        private final String delegation;

        IcebergTransport(int threads, String token, String delegation) {
            this.token = token;
            this.delegation = delegation;
            http = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(Math.max(2, threads))
                            .setMaxConnPerRoute(Math.max(2, threads))
                            .build())
                    .build();
        }

        @Override
        public Response get(String uri) throws IOException {
            return execute(new HttpGet(uri));
        }

        @Override
        public Response postJson(String uri, String json) throws IOException {
            HttpPost post = new HttpPost(uri);
            post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
            return execute(post);
        }

        private Response execute(HttpUriRequestBase request) throws IOException {
            if (token != null) {
                request.setHeader("Authorization", "Bearer " + token);
            }
            if (delegation != null) {
                request.setHeader("X-Iceberg-Access-Delegation", delegation);
            }
            return http.execute(request, response -> {
                // the client's content decompression removes Content-Encoding once it has decoded the body
                Header decoded = response.getFirstHeader("Content-Encoding");
                byte[] body =
                        response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                String encoding = decoded != null
                        ? decoded.getValue()
                        : response.getEntity() != null && response.getEntity().getContentEncoding() != null
                                ? response.getEntity().getContentEncoding()
                                : "identity";
                return new Response(response.getCode(), body, encoding);
            });
        }

        @Override
        public void close() {
            try {
                http.close();
            } catch (IOException ignored) {
                // closing a loopback client
            }
        }
    }

    /** java.net.http.HttpClient, HTTP/1.1, one executor thread per client thread. */
    final class Jdk implements BenchClient {
        private final ExecutorService executor;
        private final HttpClient http;
        private final String token;
        private final String delegation;

        Jdk(int threads, String token, String delegation) {
            this.token = token;
            this.delegation = delegation;
            executor = Executors.newFixedThreadPool(Math.max(2, threads));
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(executor)
                    .build();
        }

        @Override
        public Response get(String uri) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(uri)).GET().build());
        }

        @Override
        public Response postJson(String uri, String json) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build());
        }

        private Response send(HttpRequest request) throws IOException, InterruptedException {
            if (token != null) {
                request = HttpRequest.newBuilder(request, (name, value) -> true)
                        .header("Authorization", "Bearer " + token)
                        .build();
            }
            if (delegation != null) {
                request = HttpRequest.newBuilder(request, (name, value) -> true)
                        .header("X-Iceberg-Access-Delegation", delegation)
                        .build();
            }
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Content-Encoding").orElse("identity"));
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
