package dev.floe.operator.bench;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorCaches;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * bench/operator-secrets: what Secrets that have nothing to do with Floe cost the operator. A real
 * kube-apiserver + etcd, the operator in this JVM with a few converged catalogs (the peer: the
 * same operator before the unrelated Secrets exist), then N unrelated Secrets of 1 KiB of random
 * data each in another namespace. Prints the operator's heap (used after full GCs, median of three)
 * in both states and how many Secret copies its caches hold. Run with bench/operator-secrets/run.sh [secrets].
 */
public final class SecretCacheBench {
    private static final int CATALOGS = 3;

    private SecretCacheBench() {}

    public static void main(String[] args) throws Exception {
        int secrets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
        server.start();
        try {
            run(server.getKubeConfigYaml(), secrets);
        } finally {
            server.stop();
        }
        System.exit(0);
    }

    private static void run(String kubeconfig, int secrets) throws Exception {
        KubernetesClient client = KubeTools.client(kubeconfig, new RequestCounter());
        Crds.installFloe(client);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("tenant")
                        .endMetadata()
                        .build())
                .serverSideApply();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("unrelated")
                        .endMetadata()
                        .build())
                .serverSideApply();
        Resources tenant = new Resources(client, "tenant");
        tenant.localKms("kms", null);
        for (int i = 0; i < CATALOGS; i++) {
            tenant.apply(Fixtures.embeddedCatalog("catalog-" + i, "kms"));
        }
        long heapWithoutOperator = usedHeapAfterGc();

        KubernetesClient operatorClient = KubeTools.client(kubeconfig, new RequestCounter());
        try (OperatorRunner operator = OperatorRunner.start(operatorClient)) {
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> client.resources(IcebergCatalog.class).inNamespace("tenant").list().getItems().stream()
                                    .filter(c -> c.getStatus() != null
                                            && c.getStatus().conditions() != null
                                            && c.getStatus().conditions().stream()
                                                    .anyMatch(x -> "KmsReady".equals(x.getType())
                                                            && "True".equals(x.getStatus())))
                                    .count()
                            == CATALOGS);
            settle(5);
            long heapConverged = usedHeapAfterGc();
            int copiesConverged = OperatorCaches.cachedSecretCopies(operator.operator());

            SecureRandom random = new SecureRandom();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int i = 0; i < secrets; i++) {
                byte[] value = new byte[1024];
                random.nextBytes(value);
                String name = "unrelated-" + i;
                pool.submit(() -> client.secrets()
                        .inNamespace("unrelated")
                        .resource(new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withData(Map.of("value", Base64.getEncoder().encodeToString(value)))
                                .build())
                        .create());
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> client.secrets()
                                    .inNamespace("unrelated")
                                    .list()
                                    .getItems()
                                    .size()
                            == secrets);
            // Watch events reach an informer within moments; give them time before measuring.
            settle(10);
            long heapWithSecrets = usedHeapAfterGc();
            int copiesWithSecrets = OperatorCaches.cachedSecretCopies(operator.operator());

            System.out.printf(
                    "%n== operator-secrets (Kubernetes %s API server + etcd, operator in-process, %d CPUs) ==%n",
                    client.getKubernetesVersion().getGitVersion(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("catalogs (converged)                     : %d%n", CATALOGS);
            System.out.printf(
                    "unrelated Secrets added                  : %d x 1 KiB random data (namespace 'unrelated')%n",
                    secrets);
            System.out.printf("heap used, no operator yet               : %.1f MiB%n", heapWithoutOperator / 1048576.0);
            System.out.printf(
                    "heap used, operator converged (peer)     : %.1f MiB, Secret copies in its caches: %d%n",
                    heapConverged / 1048576.0, copiesConverged);
            System.out.printf(
                    "heap used, + %d unrelated Secrets      : %.1f MiB, Secret copies in its caches: %d%n",
                    secrets, heapWithSecrets / 1048576.0, copiesWithSecrets);
            System.out.printf(
                    "cost of the unrelated Secrets            : %+.1f MiB%n",
                    (heapWithSecrets - heapConverged) / 1048576.0);
        } finally {
            operatorClient.close();
            client.close();
        }
    }

    private static void settle(int seconds) {
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(seconds))
                .atMost(Duration.ofSeconds(seconds + 1))
                .until(() -> true);
    }

    /** Median of three readings of the used heap, each after full GCs. */
    private static long usedHeapAfterGc() {
        long[] readings = new long[3];
        for (int r = 0; r < readings.length; r++) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            readings[r] =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        Arrays.sort(readings);
        return readings[1];
    }
}
