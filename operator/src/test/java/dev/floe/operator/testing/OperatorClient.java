package dev.floe.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The client the operator under test uses, kept apart from the test's own client. (A holder,
 * because kube-api-test's client injection refuses test classes with two KubernetesClient fields.)
 */
public record OperatorClient(KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
        client.close();
    }
}
