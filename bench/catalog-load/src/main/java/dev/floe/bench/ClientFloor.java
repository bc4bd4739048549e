package dev.floe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client's own share of a request's latency: one client thread sending GETs to a loopback
 * server that does no work (it answers every request with the same ready 3 KB JSON body from a
 * thread per connection, with no parsing beyond the end of the headers). Whatever this costs is
 * in both servers' latencies alike, so it bounds the ratio the benchmark can show at one thread.
 */
final class ClientFloor implements AutoCloseable {

    private final ServerSocket socket;
    private final byte[] response;

    ClientFloor() throws IOException {
        byte[] body = new byte[3072];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        response = new byte[head.length + body.length];
        System.arraycopy(head, 0, response, 0, head.length);
        System.arraycopy(body, 0, response, head.length, body.length);
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "client-floor-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1/namespaces/bench/tables/t0";
    }

    /** Mean microseconds per request over {@code seconds} after a warm-up of the same length. */
    double microsPerRequest(BenchClient client, long seconds) throws Exception {
        for (int phase = 0; phase < 2; phase++) {
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            long count = 0;
            while (System.nanoTime() < deadline) {
                if (client.get(url()).status() != 200) {
                    throw new IllegalStateException("client floor server answered an error");
                }
                count++;
            }
            if (phase == 1) {
                return (System.nanoTime() - start) / 1e3 / count;
            }
        }
        throw new AssertionError();
    }

    private void accept() {
        try {
            while (true) {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                Thread serve = new Thread(() -> serve(connection), "client-floor-connection");
                serve.setDaemon(true);
                serve.start();
            }
        } catch (IOException closed) {
            // the benchmark is done
        }
    }

    /** Answers each request once its headers end (a blank line); the benchmark's GETs have no body. */
    private void serve(Socket connection) {
        try (connection;
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream()) {
            byte[] buffer = new byte[16384];
            int matched = 0;
            int read;
            while ((read = in.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == 4) {
                        out.write(response);
                        out.flush();
                        matched = 0;
                    }
                }
            }
        } catch (IOException closed) {
            // client went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
