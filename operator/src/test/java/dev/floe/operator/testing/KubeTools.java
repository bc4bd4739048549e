package dev.floe.operator.testing;

import dev.floe.operator.FloeOperators;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Helpers for the real-API-server tests: where the locally built Kubernetes binaries are (the
 * kube-api-test layout), running kubectl against a test server, and clients that count requests.
 */
public final class KubeTools {
    private KubeTools() {}

    /** The directory holding kube-apiserver, etcd, kubectl (and kube-controller-manager). */
    public static Path binaryDir() {
        String base =
                System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        try (Stream<Path> dirs = Files.list(Path.of(base, "k8s"))) {
            return dirs.filter(p -> Files.isExecutable(p.resolve("kubectl")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() ->
                            new IllegalStateException("no kubectl under " + base + "/k8s: run tools/kube/build.sh"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no Kubernetes binaries under " + base + "/k8s: run tools/kube/build.sh", e);
        }
    }

    /** The repository root (Failsafe runs in the operator module directory). */
    public static Path repoRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    public static Path sharedDir() {
        return Path.of(System.getProperty(
                        "floe.shared.dir", repoRoot().resolve("../shared").toString()))
                .toAbsolutePath()
                .normalize();
    }

    public static Path writeKubeconfig(String yaml) {
        try {
            Path file = Files.createTempFile("floe-it-kubeconfig", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a kubectl run printed. */
    public record Run(int exitCode, String out, String err) {
        public Run assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    public static Run kubectl(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binaryDir().resolve("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(repoRoot().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl timed out: " + command);
            }
            Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
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

    /**
     * A client for the test server whose requests are counted by {@code counter}; built as the
     * operator's own client is ({@link FloeOperators#clientBuilder()}), so an operator started on it
     * runs the production wiring.
     */
    public static KubernetesClient client(String kubeconfigYaml, RequestCounter counter) {
        Config config = Config.fromKubeconfig(kubeconfigYaml);
        return FloeOperators.clientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("floe-request-counter", counter))
                .build();
    }
}
