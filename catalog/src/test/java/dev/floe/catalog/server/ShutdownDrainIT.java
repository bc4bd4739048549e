package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.rest.TestCatalogServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown drain on real sockets: a stopping server with {@code server.shutdown_drain_seconds}
 * tells a client in use to close its keep-alive connection with its next answer, and closes the
 * connections nobody used only when the drain is over, instead of closing an idle connection at
 * the moment a client may be sending on it.
 */
class ShutdownDrainIT {

    private static final String GET_CONFIG = "GET /v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void aClientInUseIsToldToCloseAndAnIdleConnectionIsClosedOnlyWhenTheDrainEnds() throws Exception {
        FloeServer server = TestCatalogServers.startSqlite(dir, Map.of(ConfigKeys.SERVER_SHUTDOWN_DRAIN_SECONDS, "3"));
        int port = server.port();
        try (Socket inUse = connect(port);
                Socket idle = connect(port)) {
            assertThat(exchange(inUse)).as("before the drain").contains("200").doesNotContain("connection: close");
            assertThat(exchange(idle)).as("before the drain").contains("200").doesNotContain("connection: close");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            await("the drain has begun")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try (Socket probe = connect(port)) {
                            return exchange(probe).contains("connection: close");
                        }
                    });

            // The next request on a connection in use is answered, and the answer closes it.
            assertThat(exchange(inUse)).contains("200").contains("connection: close");
            assertThat(inUse.getInputStream().read())
                    .as("closed after the answer")
                    .isEqualTo(-1);

            // The connection nobody used is left open while the drain lasts...
            idle.setSoTimeout(500);
            assertThat(staysOpen(idle))
                    .as("idle connection still open during the drain")
                    .isTrue();
            assertThat(stopping).isNotDone();

            // ...and closed when it is over.
            idle.setSoTimeout(10_000);
            assertThat(idle.getInputStream().read())
                    .as("closed at the end of the drain")
                    .isEqualTo(-1);
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerWithNoConnectionLeftStopsWithoutWaitingOutTheDrain() throws Exception {
        FloeServer server = TestCatalogServers.startSqlite(dir, Map.of(ConfigKeys.SERVER_SHUTDOWN_DRAIN_SECONDS, "60"));
        try (Socket client = connect(server.port())) {
            assertThat(exchange(client)).contains("200");
        }
        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("stopped once its last connection was closed, not after 60 s")
                .isLessThan(Duration.ofSeconds(20));
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends one GET on the connection; returns the status line and headers, lower-cased. */
    private static String exchange(Socket socket) throws IOException {
        socket.getOutputStream().write(GET_CONFIG.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = Integer.parseInt(head.replaceAll("(?s).*content-length: *(\\d+).*", "$1"));
        in.readNBytes(length);
        return head;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    /** True when nothing arrives within the socket's timeout: neither data nor the end of the stream. */
    private static boolean staysOpen(Socket socket) throws IOException {
        try {
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }
}
