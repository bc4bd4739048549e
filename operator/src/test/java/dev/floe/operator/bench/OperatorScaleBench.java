package dev.floe.operator.bench;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * bench/operator-scale: N IcebergCatalogs applied at once to a real kube-apiserver + etcd, with
 * the operator in this JVM. Prints the time until every catalog has all its dependents and a
 * status, the operator's API requests per catalog (against a single-catalog run in the same
 * process as the peer), writes during an idle window, and the heap after convergence.
 * Run with bench/operator-scale/run.sh [catalogs] [idleSeconds].
 */
public final class OperatorScaleBench {
    private OperatorScaleBench() {}

    public static void main(String[] args) throws Exception {
        int catalogs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
        server.start();
        try {
            run(server.getKubeConfigYaml(), catalogs, idleSeconds);
        } finally {
            server.stop();
        }
        System.exit(0);
    }

    private static void run(String kubeconfig, int catalogs, int idleSeconds) throws Exception {
        KubernetesClient client = KubeTools.client(kubeconfig, new RequestCounter());
        Crds.installFloe(client);
        long heapBefore = usedHeapAfterGc();

        RequestCounter operatorRequests = new RequestCounter();
        KubernetesClient operatorClient = KubeTools.client(kubeconfig, operatorRequests);
        try (OperatorRunner operator = OperatorRunner.start(
                operatorClient,
                // The production interval, so the request figures are what a deployment makes.
                java.util.Map.of("FLOE_SECRET_POLL_SECONDS", "60"))) {
            // Peer: one catalog alone, same operator, its own namespace.
            Result single = converge(client, operatorRequests, "bench-single", 1);
            Result many = converge(client, operatorRequests, "bench-many", catalogs);

            operatorRequests.reset();
            Awaitility.await()
                    .pollDelay(Duration.ofSeconds(idleSeconds))
                    .atMost(Duration.ofSeconds(idleSeconds + 5))
                    .until(() -> true);
            int idleWrites = operatorRequests.writes().size();
            long heapAfter = usedHeapAfterGc();

            System.out.printf(
                    "%n== operator-scale (Kubernetes %s API server + etcd, operator in-process, %d CPUs) ==%n",
                    client.getKubernetesVersion().getGitVersion(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("catalogs applied at once           : %d (plus %d peer)%n", catalogs, 1);
            System.out.printf(
                    "time to all dependents + status    : %.1f s (peer, 1 catalog: %.1f s)%n",
                    many.seconds(), single.seconds());
            System.out.printf(
                    "operator API requests per catalog  : %.1f (peer: %.1f)%n",
                    many.requestsPerCatalog(), single.requestsPerCatalog());
            System.out.printf(
                    "operator API writes per catalog    : %.1f (peer: %.1f)%n",
                    many.writesPerCatalog(), single.writesPerCatalog());
            System.out.printf(
                    "refused operator writes            : %d (peer: %d)%s%n",
                    many.refused().size(),
                    single.refused().size(),
                    many.refused().isEmpty()
                            ? ""
                            : " by kind: "
                                    + many.refused().stream()
                                            .map(r -> r.replaceAll("/catalog-[0-9]+[^ /]*", "/<name>")
                                                    .replaceAll("/namespaces/[^/]+/", "/namespaces/<ns>/"))
                                            .collect(Collectors.groupingBy(
                                                    r -> r, java.util.TreeMap::new, Collectors.counting())));
            System.out.printf(
                    "load average (1 min) at the end    : %.2f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(
                    "writes in %d s idle window         : %d%s%n",
                    idleSeconds,
                    idleWrites,
                    idleWrites == 0
                            ? ""
                            : " " + operatorRequests.writes().stream().limit(10).toList());
            System.out.printf(
                    "heap used after convergence        : %d MiB (before the operator started: %d MiB; max %d MiB)%n",
                    heapAfter >> 20, heapBefore >> 20, Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            operatorClient.close();
            client.close();
        }
    }

    record Result(double seconds, double requestsPerCatalog, double writesPerCatalog, List<String> refused) {}

    private static Result converge(
            KubernetesClient client, RequestCounter operatorRequests, String namespace, int count)
            throws InterruptedException {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .serverSideApply();
        Resources ns = new Resources(client, namespace);
        ns.localKms("kms", "0 3 * * 0");
        operatorRequests.reset();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < count; i++) {
            String name = "catalog-" + i;
            pool.submit(() -> ns.apply(Fixtures.embeddedCatalog(name, "kms")));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        Awaitility.await()
                .atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> converged(client, namespace, count));
        double seconds = (System.nanoTime() - start) / 1e9;
        // Let the last status writes land before counting.
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> true);
        return new Result(
                seconds,
                operatorRequests.requests() / (double) count,
                operatorRequests.writes().size() / (double) count,
                operatorRequests.refused());
    }

    private static boolean converged(KubernetesClient client, String namespace, int count) {
        Set<String> withDeployment =
                names(client.apps().deployments().inNamespace(namespace).list().getItems());
        Set<String> withCron = client.batch().v1().cronjobs().inNamespace(namespace).list().getItems().stream()
                .map(c -> c.getMetadata().getName().replace("-rotate-keys", ""))
                .collect(Collectors.toSet());
        long withStatus = client.resources(IcebergCatalog.class).inNamespace(namespace).list().getItems().stream()
                .filter(c -> c.getStatus() != null
                        && c.getStatus().conditions() != null
                        && c.getStatus().conditions().stream()
                                .anyMatch(x -> "KmsReady".equals(x.getType()) && "True".equals(x.getStatus())))
                .count();
        return withDeployment.size() >= count && withCron.size() >= count && withStatus >= count;
    }

    private static Set<String> names(java.util.List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
