package dev.floe.catalog.upgrade;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One catalog replica as a real process: {@code java -jar <floe.jar> serve} with the TOML, TLS
 * files and environment a catalog pod gets from the operator, its output in a log file. Stopping
 * it sends SIGTERM, as the kubelet does, and waits for the graceful shutdown.
 */
final class CatalogProcess implements AutoCloseable {

    private final String name;
    private final Path log;
    private final int port;
    private final Process process;

    private CatalogProcess(String name, Path log, int port, Process process) {
        this.name = name;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code jar} serving on {@code port}.
     *
     * @param jvmOptions system properties for the catalog's JVM (e.g. {@code -Dfloe.schema.recheck-seconds=1})
     */
    static CatalogProcess start(
            String name, Path jar, Path dir, int port, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--config",
                dir.resolve("floe.toml").toString(),
                "--port",
                Integer.toString(port),
                "--tls-cert",
                dir.resolve("tls/tls.crt").toString(),
                "--tls-key",
                dir.resolve("tls/tls.key").toString()));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("FLOE_LOG_FORMAT");
        builder.environment().putAll(env);
        return new CatalogProcess(name, log, port, builder.start());
    }

    /** Waits (bounded) until {@code /health/readiness} answers 200 over TLS. */
    CatalogProcess awaitReady(HttpClient https) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                name + " exited with " + process.exitValue() + ", log:\n" + log());
                    }
                    return readinessStatus(https) == 200;
                });
        return this;
    }

    /** The readiness probe's HTTP status, or -1 when nothing listens. */
    int readinessStatus(HttpClient https) {
        try {
            return https.send(
                            HttpRequest.newBuilder(uri().resolve("/health/readiness"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + port + "/");
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: floe serve's shutdown hook lets requests in flight finish
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
