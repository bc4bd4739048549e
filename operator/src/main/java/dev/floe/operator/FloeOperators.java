package dev.floe.operator;

import dev.floe.operator.catalog.IcebergCatalogReconciler;
import dev.floe.operator.kms.KmsBindingReconciler;
import dev.floe.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds a JOSDK {@link Operator} with Floe's two reconcilers on a given client. The process
 * entry point and the integration tests share it, so tests run exactly the production wiring.
 */
public final class FloeOperators {
    /** Set by the shutdown hook before the operator stops, so giving up the Lease is not fatal. */
    public static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    private FloeOperators() {
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, Metrics metrics) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
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
                LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, () -> {
                    if (!SHUTTING_DOWN.get()) {
                        new Thread(() -> System.exit(1), "floe-operator-lost-lease").start();
                    }
                }, leader -> { });
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME,
                        settings.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, callbacks, false));
            }
        });
        EventRecorder events = new EventRecorder(client);
        Clock clock = Clock.systemUTC();
        operator.register(new IcebergCatalogReconciler(events, clock), c -> watch(c, settings));
        operator.register(new KmsBindingReconciler(events, clock), c -> watch(c, settings));
        return operator;
    }

    private static void watch(io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> c, OperatorSettings settings) {
        if (settings.watchesAllNamespaces()) {
            c.watchingAllNamespaces();
        } else {
            c.settingNamespaces(settings.watchedNamespaces());
        }
    }
}
