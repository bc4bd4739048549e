package dev.floe.operator.testing;

import dev.floe.operator.FloeOperators;
import dev.floe.operator.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import java.util.Map;

/** Starts and stops the production operator wiring inside a test, on a given client. */
public final class OperatorRunner implements AutoCloseable {
    private final Operator operator;

    private OperatorRunner(Operator operator) {
        this.operator = operator;
    }

    public static OperatorRunner start(KubernetesClient client) {
        return start(client, Map.of());
    }

    /** As above with these operator settings (environment variables) added, for example FLOE_CATALOG_IMAGE. */
    public static OperatorRunner start(KubernetesClient client, Map<String, String> settings) {
        return start(client, settings, null);
    }

    /** As above, recording JOSDK's metrics into {@code metrics} as the operator process does. */
    public static OperatorRunner start(KubernetesClient client, Map<String, String> settings, Metrics metrics) {
        // JOSDK remembers CRD presence per JVM; each test class has its own API server.
        CRDPresentActivationCondition.clearState();
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.putIfAbsent("FLOE_HTTP_PORT", "0");
        // Tests change Secrets and wait for the effect: read them every 2 s instead of every minute.
        env.putIfAbsent("FLOE_SECRET_POLL_SECONDS", "2");
        Operator operator = FloeOperators.create(client, OperatorSettings.fromEnvironment(env), metrics);
        operator.start();
        return new OperatorRunner(operator);
    }

    /** The running JOSDK operator, for tests that look into its caches ({@link OperatorCaches}). */
    public Operator operator() {
        return operator;
    }

    @Override
    public void close() {
        operator.stop();
    }
}
