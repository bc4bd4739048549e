package dev.floe.catalog.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS against the Micronaut Netty server configured by {@link TlsServerProperties}: protocol
 * versions, plain HTTP on the TLS port, certificate hot reload through a Kubernetes-style symlink
 * swap under load, and client certificates (mTLS).
 */
class TlsIT {

    @TempDir
    Path dir;

    private final CertificateGenerator.Generated first = generate();
    private final CertificateGenerator.Generated second = generate();

    @Test
    void acceptsTls13AndTls12ButRefusesTls11AndPlainHttp() throws Exception {
        Path secret = mountSecret(first);
        try (EmbeddedServer server = start(secret, null)) {
            SSLContext client = clientContext(null);
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                HttpClient http = HttpClient.newBuilder()
                        .sslContext(client)
                        .sslParameters(new SSLParameters(null, new String[] {protocol}))
                        .build();
                HttpResponse<String> response = http.send(probe(server), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
                assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
            }

            // A hand-written TLS 1.1 ClientHello (the JDK client refuses to send one, so it can't be the
            // client that says no): the server must answer with an alert, never a ServerHello.
            byte[] answer = exchange(server.getPort(), tls11ClientHello());
            assertThat(answer).isNotEmpty();
            assertThat(answer[0])
                    .as("TLS record type (0x15 alert, 0x16 handshake)")
                    .isEqualTo((byte) 0x15);

            byte[] plain = exchange(
                    server.getPort(),
                    "GET /tls-probe HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(plain, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
        }
    }

    @Test
    void servesRenewedCertificateWithoutFailingRequestsOrDroppingConnections() throws Exception {
        Path secret = mountSecret(first);
        try (EmbeddedServer server = start(secret, null)) {
            SSLContext client = clientContext(null);
            // A connection opened before the renewal must keep working after it.
            SSLSocket longLived = connect(client, server.getPort());
            assertThat(get(longLived, true)).isEqualTo("ok");
            assertThat(servedSerial(longLived)).isEqualTo(first.server().leaf().getSerialNumber());

            HttpClient http = HttpClient.newBuilder().sslContext(client).build();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            Thread keepAliveLoad = load(
                    running,
                    ok,
                    failed,
                    firstFailure,
                    () -> http.send(probe(server), HttpResponse.BodyHandlers.ofString())
                            .body());
            Thread newConnectionLoad = load(running, ok, failed, firstFailure, () -> {
                try (SSLSocket socket = connect(client, server.getPort())) {
                    return get(socket, false);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 20);

            replaceSecret(secret, second);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try (SSLSocket socket = connect(client, server.getPort())) {
                            return servedSerial(socket)
                                    .equals(second.server().leaf().getSerialNumber());
                        }
                    });
            int before = ok.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > before + 20);
            running.set(false);
            keepAliveLoad.join();
            newConnectionLoad.join();

            assertThat(firstFailure.get()).as("first failed request").isNull();
            assertThat(failed.get()).isZero();
            assertThat(get(longLived, true)).isEqualTo("ok");
            assertThat(servedSerial(longLived)).isEqualTo(first.server().leaf().getSerialNumber());
            longLived.close();
        }
    }

    @Test
    void keepsServingOldCertificateWhileRenewalIsHalfWritten() throws Exception {
        Path secret = mountSecret(first);
        try (EmbeddedServer server = start(secret, null)) {
            // Only the certificate is replaced: it no longer matches the key, so it must not be served.
            Path crt = secret.resolve("tls.crt").toRealPath();
            Files.writeString(crt, CertificateGenerator.pem(second.server().leaf()));
            ReloadingPemCertificateProvider provider =
                    server.getApplicationContext().getBean(ReloadingPemCertificateProvider.class);
            provider.checkForChange();
            assertThat(provider.current().leaf().getSerialNumber())
                    .isEqualTo(first.server().leaf().getSerialNumber());
            try (SSLSocket socket = connect(clientContext(null), server.getPort())) {
                assertThat(servedSerial(socket)).isEqualTo(first.server().leaf().getSerialNumber());
            }
            // Then the key arrives: the new pair is taken.
            Files.writeString(
                    secret.resolve("tls.key").toRealPath(),
                    CertificateGenerator.pem(second.server().key()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (SSLSocket socket = connect(clientContext(null), server.getPort())) {
                    return servedSerial(socket).equals(second.server().leaf().getSerialNumber());
                }
            });
        }
    }

    @Test
    void requiresClientCertificateSignedByClientCaWhenConfigured() throws Exception {
        Path secret = mountSecret(first);
        CertificateGenerator.Generated clientPki = generate();
        Path clientCa = dir.resolve("client-ca.crt");
        Files.writeString(clientCa, CertificateGenerator.pem(clientPki.ca().leaf()));
        try (EmbeddedServer server = start(secret, clientCa)) {
            assertThatThrownBy(() -> {
                        try (SSLSocket socket = connect(clientContext(null), server.getPort())) {
                            get(socket, false);
                        }
                    })
                    .isInstanceOfAny(SSLException.class, IOException.class);

            try (SSLSocket socket = connect(clientContext(clientPki.server()), server.getPort())) {
                assertThat(get(socket, false)).isEqualTo("ok");
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private EmbeddedServer start(Path secret, Path clientCa) {
        Map<String, Object> props = new HashMap<>(TlsServerProperties.of(
                secret.resolve("tls.crt"), secret.resolve("tls.key"), clientCa, -1, Duration.ofMillis(200)));
        props.put("spec.name", "TlsIT");
        props.put("micronaut.server.host", "127.0.0.1");
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private static CertificateGenerator.Generated generate() {
        return CertificateGenerator.generate(new CertificateGenerator.Request(
                "localhost", List.of("127.0.0.1"), Duration.ofDays(1), CertificateGenerator.KeyType.EC));
    }

    /** Lays files out the way the kubelet mounts a Secret: name -> ..data/name, ..data -> ..timestamp dir. */
    private Path mountSecret(CertificateGenerator.Generated pki) throws IOException {
        Path secret = dir.resolve("secret");
        Files.createDirectories(secret);
        Path version = writeVersion(secret, pki, "..v1");
        Files.createSymbolicLink(secret.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        return secret;
    }

    /** Atomically swaps ..data to a new version directory, as the kubelet does on a Secret update. */
    private void replaceSecret(Path secret, CertificateGenerator.Generated pki) throws IOException {
        Path version = writeVersion(secret, pki, "..v2");
        Path tmp = secret.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path writeVersion(Path secret, CertificateGenerator.Generated pki, String name) throws IOException {
        Path version = secret.resolve(name);
        Files.createDirectories(version);
        Files.writeString(
                version.resolve("tls.crt"),
                CertificateGenerator.pem(pki.server().leaf()));
        Files.writeString(
                version.resolve("tls.key"),
                CertificateGenerator.pem(pki.server().key()));
        return version;
    }

    /** A client trusting both test CAs, optionally presenting a client certificate. */
    private SSLContext clientContext(TlsMaterial clientCert) throws Exception {
        KeyStore trust =
                TlsMaterial.trustStore(List.of(first.ca().leaf(), second.ca().leaf()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientCert.toKeyStore("x".toCharArray()), "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static HttpRequest probe(EmbeddedServer server) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + server.getPort() + "/tls-probe"))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    private static BigInteger servedSerial(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    /** One HTTP/1.1 GET on an open socket; returns the body. */
    private static String get(Socket socket, boolean keepAlive) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /tls-probe HTTP/1.1\r\nHost: localhost\r\nConnection: " + (keepAlive ? "keep-alive" : "close")
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response headers ended: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected response: " + head);
        }
        int length = Integer.parseInt(head.toString()
                .lines()
                .filter(line -> line.toLowerCase().startsWith("content-length:"))
                .findFirst()
                .orElseThrow()
                .substring("content-length:".length())
                .trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Sends raw bytes to the port and returns what comes back before the server closes or goes quiet. */
    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // quiet or reset: what arrived so far is the answer
            }
            return answer.toByteArray();
        }
    }

    /** A TLS 1.1 ClientHello: record version 3.1, client_version 3.2, two TLS 1.1 CBC suites, no extensions. */
    private static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02); // client_version TLS 1.1
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // session id length
        body.writeBytes(
                new byte[] {0, 4, (byte) 0xC0, 0x14, 0x00, 0x2F}); // ECDHE_RSA_AES256_CBC_SHA, RSA_AES128_CBC_SHA
        body.writeBytes(new byte[] {1, 0}); // compression: null
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = hello.length + 4;
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {0x01, 0, (byte) (hello.length >> 8), (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private interface Call {
        String run() throws Exception;
    }

    private static Thread load(
            AtomicBoolean running,
            AtomicInteger ok,
            AtomicInteger failed,
            AtomicReference<Throwable> firstFailure,
            Call call) {
        Thread thread = new Thread(
                () -> {
                    while (running.get()) {
                        try {
                            if ("ok".equals(call.run())) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    }
                },
                "tls-load");
        thread.start();
        return thread;
    }
}
