package dev.floe.catalog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy (a real implementation of the S3 API, from Maven Central) on a random loopback port, in
 * its own JVM: the build copies its self-contained jar to {@code catalog/target/s3proxy/s3proxy.jar}
 * (maven-dependency-plugin, pre-integration-test). Objects are files under {@code dataDir};
 * requests must be signed (AWS Signature V2 or V4) with {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 * It binds 127.0.0.1 only and answers path-style requests ({@code /<bucket>/<key>}).
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "floe-test-access-key";
    public static final String SECRET_KEY = "floe-test-secret-key-not-a-real-one";

    private final ExternalServer server;

    public S3ProxyServer(Path dataDir, Path logDir) {
        Path jar = ExternalServer.repoRoot().resolve("catalog/target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests through Maven "
                    + "(./mvnw -pl catalog verify), which copies it in pre-integration-test");
        }
        int port = ExternalServer.freePort();
        Path conf = logDir.resolve("s3proxy.conf");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + dataDir,
                            "jclouds.identity=unused",
                            "jclouds.credential=unused",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ExternalServer(
                List.of(java, "-jar", jar.toString(), "--properties", conf.toString()),
                Map.of(),
                logDir.resolve("s3proxy.log"),
                port);
    }

    public S3ProxyServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** The endpoint as {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** A client of this server for the test's own checks (path-style, the server's keys). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public String logText() {
        return server.logText();
    }

    @Override
    public void close() {
        server.close();
    }
}
