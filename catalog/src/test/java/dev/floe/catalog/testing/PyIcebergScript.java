package dev.floe.catalog.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code tools/clients/*.py} script with the stock Python clients that
 * {@code tools/clients/install.sh} installs, in an environment with no AWS settings of the test JVM's
 * (so a script can only use the storage access it is given), and returns its last
 * {@code RESULT <json>} line.
 */
public final class PyIcebergScript {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path python;
    private final Path logDir;

    /** Installs (or finds, with a warm cache) the clients' virtualenv; output logs go under {@code logDir}. */
    public PyIcebergScript(Path logDir) {
        this.python = ExternalServer.runTool("tools/clients/install.sh");
        this.logDir = logDir;
    }

    /** The parsed RESULT of {@code script args…}; fails with the script's output if it exits non-zero. */
    public JsonNode run(String script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                python.toString(),
                ExternalServer.repoRoot()
                        .resolve("tools/clients")
                        .resolve(script)
                        .toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            Path log = Files.createTempFile(logDir, script, ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean finished = process.waitFor(10, TimeUnit.MINUTES);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!finished) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 10 minutes:\n" + out);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + process.exitValue() + ":\n" + out);
            }
            String line = out.lines()
                    .filter(l -> l.startsWith("RESULT "))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(script + " printed no RESULT line:\n" + out));
            return JSON.readTree(line.substring("RESULT ".length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code properties} as the JSON object that the scripts read from {@code FLOE_CLIENT_PROPERTIES}. */
    public static String json(Map<String, String> properties) {
        try {
            return JSON.writeValueAsString(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
