package dev.floe.catalog.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The built {@code floe.jar} running {@code serve --dev} on plain HTTP as its own process, with a
 * TOML file, the AWS key it should hold in its environment (nothing else from the test JVM's AWS or
 * FLOE settings), and the dev admin key it writes at start; its output in {@code serve.log}.
 */
public final class DevCatalogProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path work;
    private final URI uri;
    private final String adminKey;

    private DevCatalogProcess(Process process, Path work, URI uri, String adminKey) {
        this.process = process;
        this.work = work;
        this.uri = uri;
        this.adminKey = adminKey;
    }

    /**
     * Starts the catalog in {@code work} with {@code toml} as its configuration, and waits until it is
     * ready; {@code aws} null leaves every AWS key out of its environment (the TOML names them).
     */
    public static DevCatalogProcess start(Path work, String toml, @Nullable AwsCredentials aws) throws IOException {
        Files.createDirectories(work);
        Path config = Files.writeString(work.resolve("floe.toml"), toml);
        int port = ExternalServer.freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        ExternalServer.repoRoot()
                                .resolve("catalog/target/floe.jar")
                                .toString(),
                        "serve",
                        "--dev",
                        "--config",
                        config.toString(),
                        "--port",
                        Integer.toString(port))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("serve.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FLOE_"));
        if (aws != null) {
            env.put("AWS_ACCESS_KEY_ID", aws.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", aws.secretAccessKey());
        }
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                work.resolve("no-aws-credentials").toString());
        Process process = builder.start();
        URI uri = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "floe serve exited:\n" + Files.readString(work.resolve("serve.log")));
                    }
                    try {
                        return HTTP.send(
                                                HttpRequest.newBuilder(uri.resolve("/health/readiness"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        String adminKey = Files.readString(work.resolve(".floe/dev-admin.key")).strip();
        return new DevCatalogProcess(process, work, uri, adminKey);
    }

    public URI uri() {
        return uri;
    }

    public String adminKey() {
        return adminKey;
    }

    /** A new API key with one role, created by the admin. */
    public String createKey(String role) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri.resolve("/management/v1/api-keys"))
                        .header("Authorization", "Bearer " + adminKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + role + "-key\",\"roles\":[\"" + role + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new ObjectMapper().readTree(response.body()).get("apiKey").asText();
    }

    public String log() {
        try {
            return Files.readString(work.resolve("serve.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
