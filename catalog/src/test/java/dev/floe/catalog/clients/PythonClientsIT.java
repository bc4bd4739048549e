package dev.floe.catalog.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.testing.ExternalServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise, checked as a user would run it: the built {@code floe.jar} started with
 * {@code serve --dev} in an empty directory, then the stock Python clients (PyIceberg with pyarrow,
 * and PySpark with Iceberg's Spark runtime jar, installed by {@code tools/clients/install.sh})
 * configured with nothing but the URI and the admin key the dev mode wrote to
 * {@code .floe/dev-admin.key}. Each client creates, writes, evolves, reads and drops a table.
 */
class PythonClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static Process server;
    private static Path python;
    private static Map<String, String> clientEnv;

    @BeforeAll
    static void startDevServerAndInstallClients() throws Exception {
        Path repo = ExternalServer.repoRoot();
        python = Path.of(lastLine(
                run(List.of(repo.resolve("tools/clients/install.sh").toString()), Map.of(), Duration.ofMinutes(30))));
        Path runtimeJar = python.getParent().getParent().resolve("jars/iceberg-spark-runtime-3.5_2.12-1.11.0.jar");
        assertThat(runtimeJar).exists();

        int port = ExternalServer.freePort();
        Path jar = repo.resolve("catalog/target/floe.jar");
        server = new ProcessBuilder(
                        javaBinary(), "-jar", jar.toString(), "serve", "--dev", "--port", Integer.toString(port))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("serve.log").toFile())
                .start();
        URI uri = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!server.isAlive()) {
                        throw new IllegalStateException(
                                "floe serve --dev exited:\n" + Files.readString(workDir.resolve("serve.log")));
                    }
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(uri.resolve("/health/readiness"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        String token = Files.readString(workDir.resolve(".floe/dev-admin.key")).strip();
        clientEnv = Map.of(
                "FLOE_URI",
                uri.toString(),
                "FLOE_TOKEN",
                token,
                "FLOE_SPARK_RUNTIME_JAR",
                runtimeJar.toString(),
                "SPARK_LOCAL_IP",
                "127.0.0.1",
                "JAVA_HOME",
                System.getProperty("java.home"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void pyIcebergCreatesWritesEvolvesReadsAndDropsATable() throws Exception {
        JsonNode result = runClient("pyiceberg_check.py");

        assertThat(result.get("rows").asInt()).isEqualTo(4);
        assertThat(result.get("ids").toString()).isEqualTo("[1,2,3,4]");
        assertThat(result.get("columns").toString()).isEqualTo("[\"id\",\"kind\",\"note\"]");
        assertThat(result.get("snapshots").asInt()).isEqualTo(2);
        assertThat(result.get("tables").toString()).isEqualTo("[\"pydemo.events\"]");
        assertThat(result.get("namespace_owner").asText()).isEqualTo("pyiceberg");
        assertThat(result.get("tables_after_drop").asInt()).isZero();
    }

    @Test
    void sparkSqlCreatesWritesEvolvesDeletesAndPurgesATable() throws Exception {
        JsonNode result = runClient("spark_check.py");

        assertThat(result.get("counts").get("a").asInt()).isEqualTo(2);
        assertThat(result.get("counts").get("b").asInt()).isEqualTo(2);
        assertThat(result.get("snapshots").asInt()).isEqualTo(2);
        assertThat(result.get("after_delete").asInt()).isEqualTo(3);
        assertThat(result.get("tables_after_drop").asInt()).isZero();
    }

    private static JsonNode runClient(String script) throws Exception {
        Path path = ExternalServer.repoRoot().resolve("tools/clients").resolve(script);
        String out = run(List.of(python.toString(), path.toString()), clientEnv, Duration.ofMinutes(10));
        String resultLine = out.lines()
                .filter(l -> l.startsWith("RESULT "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(script + " printed no RESULT line:\n" + out));
        return JSON.readTree(resultLine.substring("RESULT ".length()));
    }

    private static String run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        Path log = Files.createTempFile(workDir, "client", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout + ":\n" + out);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + process.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
