package dev.floe.catalog.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process a test starts on 127.0.0.1 and stops again: KMS emulators built or installed
 * by the scripts in {@code tools/kms/}. The build/install script runs first (fast when its cache is
 * warm) and a failure there fails the test loudly; nothing is skipped.
 */
public final class ExternalServer implements AutoCloseable {

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private final Duration stopGrace;
    private Process process;

    public ExternalServer(List<String> command, Map<String, String> env, Path log, int port) {
        this(command, env, log, port, Duration.ofSeconds(20));
    }

    /**
     * @param stopGrace how long {@link #stop()} waits after SIGTERM before SIGKILL: shorter for a
     *     server that on SIGTERM waits for its clients' idle keep-alive connections to close
     */
    public ExternalServer(List<String> command, Map<String, String> env, Path log, int port, Duration stopGrace) {
        this.command = command;
        this.env = env;
        this.log = log;
        this.port = port;
        this.stopGrace = stopGrace;
    }

    /** The repository root (tests run with catalog/ as working directory). */
    public static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("tools")) ? cwd : cwd.getParent();
    }

    /** Runs a tools/kms script and returns the last line it prints (the binary's path). */
    public static Path runToolScript(String script) {
        return runTool("tools/kms/" + script);
    }

    /** Runs a tools/ script given by its path from the repository root; returns the path it prints last. */
    public static Path runTool(String pathFromRepoRoot) {
        String script = pathFromRepoRoot;
        Path path = repoRoot().resolve(pathFromRepoRoot);
        try {
            Process p = new ProcessBuilder(path.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed:\n" + out);
            }
            String[] lines = out.strip().split("\n");
            Path binary = Path.of(lines[lines.length - 1].strip());
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(script + " did not produce an executable: " + binary + "\n" + out);
            }
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the process and waits (bounded) until its port accepts connections. */
    public ExternalServer start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + ": " + e.getMessage(), e);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "server exited with " + process.exitValue() + ", log:\n" + Files.readString(log));
                    }
                    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /** Stops the process (SIGTERM, then SIGKILL after the stop grace) and waits until it is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
