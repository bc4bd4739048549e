package dev.floe.operator;

import dev.floe.operator.caches.SharedFieldsV1;
import dev.floe.operator.caches.WithoutManagedFields;
import dev.floe.operator.catalog.CatalogDependentFactory;
import dev.floe.operator.catalog.CatalogImage;
import dev.floe.operator.catalog.IcebergCatalogReconciler;
import dev.floe.operator.kms.KmsBindingReconciler;
import dev.floe.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds a JOSDK {@link Operator} with Floe's two reconcilers on a given client. The process
 * entry point and the integration tests share it, so tests run exactly the production wiring.
 */
public final class FloeOperators {
    /**
     * Reconciles (and, separately, dependents of one reconcile) that run at once. JOSDK's default
     * is 50 of each, sized for large machines: 200 catalogs made the operator start all 100
     * threads (~11 MiB of stacks, docs/performance.md "Operator footprint"), while a reconcile
     * mostly waits on the API server and the pod gets a fraction of a CPU.
     */
    static final int RECONCILE_THREADS = 10;

    static final int WORKFLOW_THREADS = 10;

    private FloeOperators() {}

    /**
     * The operator's client: Fabric8's, reading server-side apply bookkeeping into shared maps
     * ({@link SharedFieldsV1}) so the informer caches do not hold a copy per object.
     */
    public static KubernetesClientBuilder clientBuilder() {
        return new KubernetesClientBuilder().withKubernetesSerialization(SharedFieldsV1.serialization());
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
        return create(client, settings, metrics, new Leadership());
    }

    /** As above, reporting Lease gain and loss to {@code leadership}. */
    public static Operator create(
            KubernetesClient client, OperatorSettings settings, Metrics metrics, Leadership leadership) {
        // Resolved per reconcile from the settings, never stored in the resources (see CatalogImage).
        CatalogImage catalogImage = new CatalogImage(settings.catalogImage());
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withDependentResourceFactory(new CatalogDependentFactory(catalogImage))
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                    .withConcurrentWorkflowExecutorThreads(WORKFLOW_THREADS)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(20))
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofMinutes(2));
            if (metrics != null) {
                o.withMetrics(metrics);
            }
            if (settings.leaderElection()) {
                // JOSDK's own exit-on-stop-leading calls System.exit, which deadlocks when the
                // Lease is released from the SIGTERM shutdown hook; exit ourselves, and only when
                // leadership is lost while not shutting down (the pod restarts as a follower).
                LeaderCallbacks callbacks = new LeaderCallbacks(
                        leadership::startedLeading,
                        () -> {
                            leadership.stoppedLeading();
                            if (!leadership.isShuttingDown()) {
                                new Thread(() -> System.exit(1), "floe-operator-lost-lease").start();
                            }
                        },
                        leader -> {});
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        OperatorSettings.LEASE_NAME,
                        settings.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        settings.leaseIdentity(),
                        callbacks,
                        false));
            }
        });
        EventRecorder events = new EventRecorder(client);
        Clock clock = Clock.systemUTC();
        operator.register(
                new IcebergCatalogReconciler(events, clock, catalogImage, settings.secretPollInterval()),
                c -> watch(c, settings));
        operator.register(
                new KmsBindingReconciler(events, clock, settings.secretPollInterval()), c -> watch(c, settings));
        return operator;
    }

    /**
     * Gives the Lease up if this process holds it, so a standby takes over within one retry period
     * instead of waiting for the lease to expire. JOSDK 5.2 cancels its elector without releasing;
     * call this after {@link Operator#stop()} has let running reconciles finish, so two leaders
     * never reconcile at once. Fabric8's release is a compare-and-swap on the Lease (it writes
     * only while the Lease still names this identity), so a standby calling it changes nothing.
     */
    public static boolean releaseLease(KubernetesClient client, OperatorSettings settings) {
        if (!settings.leaderElection()) {
            return false;
        }
        var config = new LeaderElectionConfig(
                new LeaseLock(settings.leaseNamespace(), OperatorSettings.LEASE_NAME, settings.leaseIdentity()),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                new LeaderCallbacks(() -> {}, () -> {}, leader -> {}),
                true,
                OperatorSettings.LEASE_NAME);
        return new LeaderElectorBuilder(client, Runnable::run)
                .withConfig(config)
                .build()
                .release();
    }

    private static <R extends HasMetadata> void watch(
            ControllerConfigurationOverrider<R> c, OperatorSettings settings) {
        if (settings.watchesAllNamespaces()) {
            c.watchingAllNamespaces();
        } else {
            c.settingNamespaces(settings.watchedNamespaces());
        }
        // Nothing matches the primaries with server-side apply: their cache needs no managedFields.
        c.withItemStore(WithoutManagedFields.forNamespaces(
                settings.watchesAllNamespaces() ? Constants.WATCH_ALL_NAMESPACE_SET : settings.watchedNamespaces()));
    }
}
