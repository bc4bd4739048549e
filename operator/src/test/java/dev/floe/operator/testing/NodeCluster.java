package dev.floe.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real single-node cluster of {@code tools/kube/cluster.sh up --node} (kubelet, containerd with
 * runc, kube-proxy, CoreDNS, cert-manager, a volume provisioner), driven the way a platform team
 * drives a cluster: {@code kubectl} with the cluster's kubeconfig, from the repository root, so
 * that relative paths such as {@code crds/} and {@code deploy/default} mean what the README says.
 */
public final class NodeCluster implements AutoCloseable {

    private final Path script = KubeTools.repoRoot().resolve("tools/kube/cluster.sh");
    private final Path kubeconfig;
    private final Path kubectl;

    private NodeCluster(Path kubeconfig, Path kubectl) {
        this.kubeconfig = kubeconfig;
        this.kubectl = kubectl;
    }

    /**
     * Starts the node from a clean state (a previous run's objects, volumes and images are purged;
     * the built binaries stay cached) and returns once the node is Ready and CoreDNS answers.
     */
    public static NodeCluster startClean() {
        Path script = KubeTools.repoRoot().resolve("tools/kube/cluster.sh");
        run(Duration.ofMinutes(2), script.toString(), "down", "--purge").assertOk();
        run(Duration.ofMinutes(30), script.toString(), "up", "--node").assertOk();
        String env =
                run(Duration.ofMinutes(1), script.toString(), "env").assertOk().out();
        Path kubeconfig = null;
        Path bin = null;
        for (String line : env.split("\n")) {
            if (line.startsWith("export KUBECONFIG=")) {
                kubeconfig = Path.of(line.substring("export KUBECONFIG=".length()));
            } else if (line.startsWith("export PATH=")) {
                bin = Path.of(line.substring("export PATH=".length()).split(":")[0]);
            }
        }
        if (kubeconfig == null || bin == null) {
            throw new IllegalStateException("cluster.sh env printed no KUBECONFIG/PATH: " + env);
        }
        return new NodeCluster(kubeconfig, bin.resolve("kubectl"));
    }

    /** Imports image archives into the node's containerd ({@code cluster.sh load}). */
    public void load(List<Path> archives) {
        List<String> command = new ArrayList<>(List.of(script.toString(), "load"));
        archives.forEach(a -> command.add(a.toString()));
        run(Duration.ofMinutes(10), command.toArray(String[]::new)).assertOk();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** {@code kubectl ARGS} with a one-minute limit. */
    public KubeTools.Run kubectl(String... args) {
        return kubectl(Duration.ofMinutes(1), null, args);
    }

    /** {@code kubectl ARGS} with {@code stdin} piped in (for {@code apply -f -}). */
    public KubeTools.Run kubectlWithInput(String stdin, String... args) {
        return kubectl(Duration.ofMinutes(1), stdin, args);
    }

    public KubeTools.Run kubectl(Duration limit, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        return runWithInput(limit, stdin, command.toArray(String[]::new));
    }

    /** Starts {@code kubectl ARGS} without waiting, its output going to {@code output}. */
    public Process kubectlInBackground(Path output, String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command)
                    .directory(KubeTools.repoRoot().toFile())
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node and everything it runs; its state stays on disk for a look at the logs. */
    @Override
    public void close() {
        run(Duration.ofMinutes(2), script.toString(), "down");
    }

    private static KubeTools.Run run(Duration limit, String... command) {
        return runWithInput(limit, null, command);
    }

    private static KubeTools.Run runWithInput(Duration limit, String stdin, String... command) {
        try {
            Path out = Files.createTempFile("floe-e2e", ".out");
            Path err = Files.createTempFile("floe-e2e", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(KubeTools.repoRoot().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment()
                    .putAll(Map.of("FLOE_SHARED_DIR", KubeTools.sharedDir().toString()));
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + limit + ": " + String.join(" ", command) + "\n"
                        + Files.readString(out) + Files.readString(err));
            }
            KubeTools.Run run = new KubeTools.Run(process.exitValue(), Files.readString(out), Files.readString(err));
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
