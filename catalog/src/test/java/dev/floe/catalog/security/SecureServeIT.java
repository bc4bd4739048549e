package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.cli.GenerateKeyCommand;
import dev.floe.catalog.tls.CertificateGenerator;
import dev.floe.catalog.tls.TlsMaterial;
import dev.floe.catalog.tls.TlsServerProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The production shape: the real catalog over HTTPS (generated CA and server certificate) with
 * authentication, and {@code floe generate-key} creating a key through it and printing it once.
 */
class SecureServeIT {

    @TempDir
    Path dir;

    @Test
    void generateKeyCreatesAWorkingKeyThroughTheTlsListener() throws Exception {
        CertificateGenerator.Generated pki = CertificateGenerator.generate(new CertificateGenerator.Request(
                "localhost", List.of("127.0.0.1"), Duration.ofDays(1), CertificateGenerator.KeyType.EC));
        pki.writeTo(dir.resolve("tls"));
        ApiKeyCredential admin = ApiKeyCredential.generate();
        Path adminFile = Files.writeString(dir.resolve("admin.key"), admin.token());
        Map<String, Object> props = new HashMap<>(TlsServerProperties.of(
                dir.resolve("tls/tls.crt"), dir.resolve("tls/tls.key"), null, -1, Duration.ofSeconds(10)));
        props.put("floe.auth.bootstrap-admin-key-file", adminFile.toString());
        props.put("floe.security.audit.file", dir.resolve("audit.log").toString());
        try (SecureCatalogServer server = SecureCatalogServer.start("file://" + dir.resolve("db"), dir, props)) {
            URI https = URI.create("https://localhost:" + server.port());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new GenerateKeyCommand());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(
                    "--name",
                    "spark-etl",
                    "--roles",
                    "writer,reader",
                    "--endpoint",
                    https.toString(),
                    "--api-key-file",
                    adminFile.toString(),
                    "--ca-cert",
                    dir.resolve("tls/ca.crt").toString());
            assertThat(exit).as(err.toString()).isZero();
            String key = out.toString().trim();
            assertThat(ApiKeyCredential.parse(key)).isPresent();
            assertThat(err.toString()).contains("spark-etl").doesNotContain(key.substring(22));

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TlsMaterial.trustStore(List.of(pki.ca().leaf())));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> config = client.send(
                    HttpRequest.newBuilder(https.resolve("/v1/config"))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.headers().firstValue("Strict-Transport-Security")).isPresent();
            HttpResponse<String> manage = client.send(
                    HttpRequest.newBuilder(https.resolve("/management/v1/api-keys"))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(manage.statusCode()).isEqualTo(403);

            // a wrong admin key: non-zero exit and the server's reason, no stack trace
            Path wrong = Files.writeString(
                    dir.resolve("wrong.key"), ApiKeyCredential.generate().token());
            StringWriter err2 = new StringWriter();
            cli.setErr(new PrintWriter(err2));
            assertThat(cli.execute(
                            "--name",
                            "x",
                            "--roles",
                            "reader",
                            "--endpoint",
                            https.toString(),
                            "--api-key-file",
                            wrong.toString(),
                            "--ca-cert",
                            dir.resolve("tls/ca.crt").toString()))
                    .isEqualTo(1);
            assertThat(err2.toString()).contains("401").doesNotContain("Exception\n\tat");
        }
    }

    @Test
    void withTlsAndClientCertificatesProbesAndMetricsArePlainHttpOnTheManagementPort() throws Exception {
        CertificateGenerator.Generated pki = CertificateGenerator.generate(new CertificateGenerator.Request(
                "localhost", List.of("127.0.0.1"), Duration.ofDays(1), CertificateGenerator.KeyType.EC));
        pki.writeTo(dir.resolve("tls"));
        Map<String, Object> props = new HashMap<>(TlsServerProperties.of(
                dir.resolve("tls/tls.crt"),
                dir.resolve("tls/tls.key"),
                dir.resolve("tls/ca.crt"),
                -1,
                Duration.ofSeconds(10)));
        props.put("floe.security.audit.file", dir.resolve("audit.log").toString());
        int managementPort = dev.floe.catalog.testing.ExternalServer.freePort();
        try (SecureCatalogServer server =
                SecureCatalogServer.start("file://" + dir.resolve("db"), dir, props, managementPort)) {
            // kubelet probes and Prometheus: plain HTTP, no client certificate, no credentials
            SecurityHttp management = new SecurityHttp(URI.create("http://127.0.0.1:" + managementPort + "/"));
            assertThat(management.send("GET", "/health/readiness", null, null).statusCode())
                    .isEqualTo(200);
            assertThat(management.send("GET", "/health/liveness", null, null).statusCode())
                    .isEqualTo(200);
            assertThat(management.send("GET", "/metrics", null, null).body())
                    .contains("# TYPE http_server_requests_seconds histogram");

            // the API port still insists on TLS with a client certificate
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TlsMaterial.trustStore(List.of(pki.ca().leaf())));
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(ssl)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            URI https = URI.create("https://localhost:" + server.port() + "/health/readiness");
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            client.send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            HttpClient plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.port() + "/health/readiness"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
