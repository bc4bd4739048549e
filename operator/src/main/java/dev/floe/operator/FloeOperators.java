package dev.floe.operator;

import dev.floe.operator.catalog.IcebergCatalogReconciler;
import dev.floe.operator.kms.KmsBindingReconciler;
import dev.floe.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds a JOSDK {@link Operator} with Floe's two reconcilers on a given client. The process
 * entry point and the integration tests share it, so tests run exactly the production wiring.
 */
public final class FloeOperators {
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
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, settings.leaseNamespace()));
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
