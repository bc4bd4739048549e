package dev.floe.catalog.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code floe.jar} logs as its user asked: with {@code FLOE_LOG_FORMAT=json} every stderr
 * line is one JSON object, and a line written while a request is handled carries that request's
 * {@code X-Request-Id}; in text format the id is a field of the line. A bad value stops the
 * command with a message naming the variable.
 */
class LogFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void jsonLinesCarryTheRequestId() throws Exception {
        List<String> lines = serveAndCreateNamespace(Map.of("FLOE_LOG_FORMAT", "json"), List.of(), "json-req-1");

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                events.add(JSON.readTree(line));
            }
        }
        assertThat(events).as("JSON log events on stderr").isNotEmpty();
        JsonNode created = events.stream()
                .filter(e -> e.path("formattedMessage").asText().startsWith("Created namespace"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 'Created namespace' event in " + lines));
        assertThat(created.path("level").asText()).isEqualTo("INFO");
        assertThat(created.path("mdc").path("requestId").asText()).isEqualTo("json-req-1");
        assertThat(created.path("timestamp").asLong()).isPositive();
    }

    @Test
    void textLinesCarryTheRequestIdToo() throws Exception {
        List<String> lines = serveAndCreateNamespace(Map.of(), List.of("--log-format", "text"), "text-req-2");

        assertThat(lines)
                .anySatisfy(line -> assertThat(line).contains(" INFO ").contains(" text-req-2 - Created namespace"));
    }

    @Test
    void aLogbackFileOfTheUsersOwnReplacesTheBuiltInFormat() throws Exception {
        Path own = dir.resolve("my-logback.xml");
        Files.writeString(own, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>MINE %level %X{requestId} %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> lines = serveAndCreateNamespace(
                Map.of("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=" + own), List.of(), "own-req-3");

        assertThat(lines).contains("MINE INFO own-req-3 Created namespace logged");
    }

    @Test
    void badFormatStopsTheCommandNamingTheVariable() throws Exception {
        Process process = floe(Map.of("FLOE_LOG_FORMAT", "yaml"), List.of("serve", "--dev"));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("floe.log")))
                .contains("FLOE_LOG_FORMAT must be text or json, was 'yaml'");
    }

    private List<String> serveAndCreateNamespace(Map<String, String> env, List<String> extraArgs, String requestId)
            throws Exception {
        int port = ExternalServer.freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--dev", "--port", Integer.toString(port)));
        args.addAll(extraArgs);
        Process server = floe(env, args);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertThat(server.isAlive()).as("floe serve is running").isTrue();
                        try {
                            return HTTP.send(
                                                    HttpRequest.newBuilder(base.resolve("/health/readiness"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            String key = Files.readString(dir.resolve(".floe/dev-admin.key")).strip();
            HttpResponse<String> created = HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/v1/namespaces"))
                            .header("Authorization", "Bearer " + key)
                            .header("X-Request-Id", requestId)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":[\"logged\"],\"properties\":{}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(created.headers().firstValue("X-Request-Id")).contains(requestId);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(dir.resolve("floe.log")).contains("Created namespace"));
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
        return Files.readAllLines(dir.resolve("floe.log"));
    }

    private Process floe(Map<String, String> env, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ExternalServer.repoRoot().resolve("catalog/target/floe.jar").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("floe.log").toFile());
        builder.environment().remove("FLOE_LOG_FORMAT");
        builder.environment().putAll(env);
        return builder.start();
    }
}
