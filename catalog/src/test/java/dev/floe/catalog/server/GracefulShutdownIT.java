package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.rest.TestCatalogServers;
import dev.floe.catalog.store.StorageUrl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a server (SIGTERM in a pod: {@code floe serve}'s shutdown hook closes the
 * {@link FloeServer}) lets a request in flight finish instead of cutting its connection: during a
 * rolling update of a catalog with several replicas, such requests were the clients' failures.
 */
class GracefulShutdownIT {

    @TempDir
    Path dir;

    @Test
    void aRequestInFlightIsAnsweredWhileTheServerStops() throws Exception {
        Path db = dir.resolve("db");
        TestCatalogServers.AdminServer admin =
                TestCatalogServers.startWithAdmin(dir, db.toUri().toString());
        FloeServer server = admin.server();
        int port = server.port();
        String body = "{\"namespace\":[\"graceful\"],\"properties\":{}}";
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + db.resolve(StorageUrl.SQLITE_FILE));
                Socket socket = new Socket("127.0.0.1", port)) {
            // Another writer holds the database: the create below waits for it (busy_timeout), so
            // it is in flight, received and being served, when the server is told to stop.
            lock.createStatement().execute("BEGIN EXCLUSIVE");
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Authorization: Bearer " + admin.admin().token() + "\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(500); // let the request reach the store; nothing observable to await here
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            // New connections are refused as soon as the listener is closed...
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refusesConnections(port));
            assertThat(stopping)
                    .as("the server waits for the request in flight")
                    .isNotDone();
            // ...while the request in flight still completes once the database is free.
            lock.createStatement().execute("ROLLBACK");
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 200");
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
