package dev.floe.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Helm CLI, built from its Go module by tools/helm/build.sh (idempotent: seconds when the
 * cache is warm, a few minutes cold), run against a test API server with its own Helm home, so a
 * developer's repositories and plugins play no part.
 */
public final class Helm {
    private final Path binary;
    private final Path kubeconfig;
    private final Path home;

    private Helm(Path binary, Path kubeconfig, Path home) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** Helm for the API server of {@code kubeconfig} (null: commands that need no cluster, lint and template). */
    public static Helm forCluster(Path kubeconfig) {
        try {
            return new Helm(build(), kubeconfig, Files.createTempDirectory("floe-helm-home"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs tools/helm/build.sh and returns the binary it names on its last line. */
    static Path build() {
        KubeTools.Run run = exec(
                List.of(
                        "bash",
                        KubeTools.repoRoot().resolve("tools/helm/build.sh").toString()),
                null,
                null,
                900);
        if (run.exitCode() != 0) {
            throw new AssertionError("tools/helm/build.sh failed (" + run.exitCode() + "): " + run.err() + run.out());
        }
        String[] lines = run.out().strip().split("\n");
        return Path.of(lines[lines.length - 1].strip());
    }

    public KubeTools.Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        if (kubeconfig != null) {
            command.add("--kubeconfig=" + kubeconfig);
        }
        command.addAll(List.of(args));
        return exec(command, null, home, 300);
    }

    private static KubeTools.Run exec(List<String> command, String stdin, Path home, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("helm", ".out");
            Path err = Files.createTempFile("helm", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(KubeTools.repoRoot().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (home != null) {
                pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
                pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
                pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            }
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
            }
            KubeTools.Run run = new KubeTools.Run(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
