package dev.floe.operator.bench;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * bench/operator-footprint: the operator as it ships (its jar, started with the JVM options of the
 * image's launcher {@code tools/images/jib/operator/usr/local/bin/floe-operator}, read from that
 * script, and the Deployment's memory limit as {@code -XX:MaxRAM}) against a real kube-apiserver +
 * etcd. Prints start-to-ready (process created → first {@code 200 ready: leader} on
 * {@code /readyz}: Lease taken, controllers started, every informer synced) over several starts
 * with 0 catalogs and with N catalogs present, and the process's RSS idle with 0 catalogs and at
 * steady state after N IcebergCatalogs, each with its own KmsBinding, are reconciled.
 * Run with bench/operator-footprint/run.sh.
 */
public final class OperatorFootprintBench {
    private static final String LEASE_NS = "floe-system";
    private static final String TENANTS = "tenants";
    /** The environment defaults the launcher exports ({@code export NAME="${NAME:-value}"}). */
    private static final Map<String, String> LAUNCHER_ENV = new java.util.TreeMap<>();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private OperatorFootprintBench() {}

    public static void main(String[] args) throws Exception {
        int catalogs = Integer.getInteger("bench.catalogs", 200);
        int starts = Integer.getInteger("bench.starts", 5);
        int idleSeconds = Integer.getInteger("bench.idle.seconds", 30);
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
        server.start();
        try {
            run(server.getKubeConfigYaml(), catalogs, starts, idleSeconds);
        } finally {
            server.stop();
        }
        System.exit(0);
    }

    private static void run(String kubeconfigYaml, int catalogs, int starts, int idleSeconds) throws Exception {
        Path kubeconfig = KubeTools.writeKubeconfig(kubeconfigYaml);
        KubernetesClient client = KubeTools.client(kubeconfigYaml, new RequestCounter());
        Crds.installFloe(client);
        for (String ns : List.of(LEASE_NS, TENANTS)) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .serverSideApply();
        }
        List<String> jvm = jvmOptions();
        System.out.printf(
                "operator JVM: %s %s %s%n", LAUNCHER_ENV, System.getProperty("bench.java"), String.join(" ", jvm));

        // 0 catalogs: several starts; RSS of the last one after an idle window.
        List<Double> emptyStarts = new ArrayList<>();
        long rssIdle = 0;
        Map<String, String> nmtIdle = Map.of();
        for (int i = 0; i < starts; i++) {
            try (OperatorProcess p = OperatorProcess.start(kubeconfig, jvm)) {
                emptyStarts.add(p.awaitReady());
                if (i == starts - 1) {
                    sleep(idleSeconds);
                    rssIdle = p.rssKiB();
                    nmtIdle = p.diagnostics();
                }
            }
        }

        // N catalogs, each with its own binding, applied while one operator runs.
        long rssConverged;
        long rssSteady;
        double convergeSeconds;
        Map<String, String> nmtSteady;
        try (OperatorProcess p = OperatorProcess.start(kubeconfig, jvm)) {
            p.awaitReady();
            long start = System.nanoTime();
            applyCatalogs(new Resources(client, TENANTS), catalogs);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(30))
                    .pollInterval(Duration.ofSeconds(2))
                    .failFast("operator exited; its log: " + p.log, () -> !p.process.isAlive())
                    .until(() -> converged(client, catalogs));
            convergeSeconds = (System.nanoTime() - start) / 1e9;
            rssConverged = p.rssKiB();
            sleep(idleSeconds);
            rssSteady = p.rssKiB();
            nmtSteady = p.diagnostics();
        }

        // Restarts with N catalogs present: ready, then the first full resync of every catalog.
        List<Double> fullStarts = new ArrayList<>();
        long rssRestarted = 0;
        for (int i = 0; i < Math.max(1, starts / 2); i++) {
            try (OperatorProcess p = OperatorProcess.start(kubeconfig, jvm)) {
                fullStarts.add(p.awaitReady());
                if (i == Math.max(1, starts / 2) - 1) {
                    sleep(idleSeconds);
                    rssRestarted = p.rssKiB();
                }
            }
        }

        System.out.printf(
                "%n== operator-footprint (Kubernetes %s API server + etcd, %d CPUs, load average %.2f at the end) ==%n",
                client.getKubernetesVersion().getGitVersion(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("start to ready, 0 catalogs (%d starts)  : %s%n", emptyStarts.size(), stats(emptyStarts));
        System.out.printf(
                "start to ready, %d catalogs (%d starts) : %s%n", catalogs, fullStarts.size(), stats(fullStarts));
        System.out.printf("RSS idle, 0 catalogs (%d s after ready)  : %d MiB%n", idleSeconds, rssIdle >> 10);
        System.out.printf(
                "time for %d catalogs + bindings to converge: %.1f s; RSS then: %d MiB%n",
                catalogs, convergeSeconds, rssConverged >> 10);
        System.out.printf(
                "RSS steady, %d catalogs (%d s later)     : %d MiB%n", catalogs, idleSeconds, rssSteady >> 10);
        System.out.printf("RSS after a restart with %d catalogs     : %d MiB%n", catalogs, rssRestarted >> 10);
        printDiagnostics("idle, 0 catalogs", nmtIdle);
        printDiagnostics("steady, " + catalogs + " catalogs", nmtSteady);
        client.close();
    }

    /** The options the image's launcher passes (its {@code default NAME OPTION} lines), plus the container's memory as MaxRAM. */
    static List<String> jvmOptions() throws IOException {
        Path launcher = KubeTools.repoRoot().resolve("tools/images/jib/operator/usr/local/bin/floe-operator");
        Matcher m = Pattern.compile("(?m)^default\\s+\\S+\\s+(\\S+)").matcher(Files.readString(launcher));
        List<String> options = new ArrayList<>();
        while (m.find()) {
            options.add(m.group(1));
        }
        if (options.isEmpty()) {
            throw new IllegalStateException("no `default NAME OPTION` lines in " + launcher);
        }
        // The Deployment's memory limit (deploy/default, the chart's default): the JVM sizes from it in a pod.
        options.add("-XX:MaxRAM=" + System.getProperty("bench.memory.limit", "512m"));
        LAUNCHER_ENV.clear();
        Matcher env =
                Pattern.compile("(?m)^export (\\w+)=\"\\$\\{\\1:-([^}]*)\\}\"").matcher(Files.readString(launcher));
        while (env.find()) {
            LAUNCHER_ENV.put(env.group(1), env.group(2));
        }
        String extra = System.getProperty("bench.jvm", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    private static void applyCatalogs(Resources ns, int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < count; i++) {
            String name = "catalog-" + i;
            pool.submit(() -> {
                ns.localKms(name + "-kms", "0 3 * * 0");
                ns.apply(Fixtures.embeddedCatalog(name, name + "-kms"));
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    private static boolean converged(KubernetesClient client, int count) {
        long deployments = client.apps()
                .deployments()
                .inNamespace(TENANTS)
                .list()
                .getItems()
                .size();
        long cronJobs = client.batch().v1().cronjobs().inNamespace(TENANTS).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().endsWith("-rotate-keys"))
                .count();
        long kmsReady = client.resources(IcebergCatalog.class).inNamespace(TENANTS).list().getItems().stream()
                .filter(c -> c.getStatus() != null
                        && c.getStatus().conditions() != null
                        && c.getStatus().conditions().stream()
                                .anyMatch(x -> "KmsReady".equals(x.getType()) && "True".equals(x.getStatus())))
                .count();
        return deployments >= count && cronJobs >= count && kmsReady >= count;
    }

    private static String stats(List<Double> seconds) {
        List<Double> sorted = seconds.stream().sorted().toList();
        return String.format(
                "median %.2f s (min %.2f, max %.2f) %s",
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                sorted.stream().map(s -> String.format("%.2f", s)).collect(Collectors.joining(" ")));
    }

    private static void printDiagnostics(String when, Map<String, String> diagnostics) {
        diagnostics.forEach((name, text) -> System.out.printf("%n-- %s: %s --%n%s%n", when, name, text));
    }

    private static void sleep(int seconds) {
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(seconds))
                .atMost(Duration.ofSeconds(seconds + 5))
                .until(() -> true);
    }

    /** One operator process, as a pod runs it: leader election on, probes on a loopback port. */
    private static final class OperatorProcess implements AutoCloseable {
        private final Process process;
        private final int port;
        private final long started;
        private final Path log;

        private OperatorProcess(Process process, int port, long started, Path log) {
            this.process = process;
            this.port = port;
            this.started = started;
            this.log = log;
        }

        static OperatorProcess start(Path kubeconfig, List<String> jvm) throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>();
            command.add(System.getProperty(
                    "bench.java",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvm);
            command.addAll(List.of(
                    "-cp",
                    KubeTools.repoRoot()
                            .resolve("operator/target/floe-operator.jar")
                            .toString(),
                    "dev.floe.operator.FloeOperator"));
            Path log = Files.createTempFile("floe-operator-bench", ".log");
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet()
                    .removeIf(k -> k.startsWith("KUBERNETES_")
                            || k.startsWith("FLOE_")
                            || k.startsWith("JAVA_")
                            || k.startsWith("JDK_"));
            LAUNCHER_ENV.forEach(env::putIfAbsent);
            env.put("KUBECONFIG", kubeconfig.toString());
            env.put("HOSTNAME", "floe-operator-bench");
            env.put("POD_NAMESPACE", LEASE_NS);
            env.put("FLOE_LEADER_ELECTION", "true");
            env.put("FLOE_LOG_FORMAT", "json");
            env.put("FLOE_HTTP_HOST", "127.0.0.1");
            env.put("FLOE_HTTP_PORT", Integer.toString(port));
            long started = System.nanoTime();
            return new OperatorProcess(pb.start(), port, started, log);
        }

        /** Seconds from creating the process to the leader's first ready answer. */
        double awaitReady() {
            Awaitility.await()
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(20))
                    .pollDelay(Duration.ZERO)
                    .failFast("operator exited; its log: " + log, () -> !process.isAlive())
                    .until(this::readyAsLeader);
            return (System.nanoTime() - started) / 1e9;
        }

        private boolean readyAsLeader() {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("ready: leader");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        long rssKiB() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for " + process.pid());
        }

        /** NMT summary and the top of the heap histogram, when the JVM runs with NativeMemoryTracking. */
        Map<String, String> diagnostics() throws Exception {
            if (!String.join(" ", process.info().arguments().map(List::of).orElse(List.of()))
                    .contains("NativeMemoryTracking")) {
                return Map.of();
            }
            Map<String, String> out = new java.util.LinkedHashMap<>();
            out.put("VM.native_memory summary", jcmd("VM.native_memory", "summary"));
            out.put(
                    "GC.class_histogram (top 25)",
                    jcmd("GC.class_histogram").lines().limit(28).collect(Collectors.joining("\n")));
            return out;
        }

        private String jcmd(String... command) throws Exception {
            Path java = Path.of(System.getProperty("bench.java", "java"));
            String jcmd = java.getParent() == null
                    ? "jcmd"
                    : java.resolveSibling("jcmd").toString();
            List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(process.pid())));
            cmd.addAll(List.of(command));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return text;
        }

        /** SIGTERM, as the kubelet stops a pod: the operator releases its Lease for the next start. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
