package dev.floe.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Small test-side operations on one namespace, shared by the operator ITs. */
public record Resources(KubernetesClient client, String namespace) {
    public static final Duration WAIT = Duration.ofSeconds(60);

    public void apply(String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .inNamespace(namespace)
                .forceConflicts()
                .serverSideApply();
    }

    public void secret(String name, Map<String, String> data) {
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .forceConflicts()
                .serverSideApply();
    }

    public void localKms(String name, String schedule) {
        secret(name + "-credentials", Map.of("master-key", Base64.getEncoder().encodeToString(new byte[32])));
        apply(Fixtures.localBinding(name, schedule));
    }

    public <T extends HasMetadata> T await(Class<T> type, String name) {
        return org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> client.resources(type)
                                .inNamespace(namespace)
                                .withName(name)
                                .get(),
                        r -> r != null);
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    public Condition condition(String catalog, String type) {
        IcebergCatalog c = get(IcebergCatalog.class, catalog);
        if (c == null || c.getStatus() == null || c.getStatus().conditions() == null) {
            return null;
        }
        return c.getStatus().conditions().stream()
                .filter(x -> type.equals(x.getType()))
                .findFirst()
                .orElse(null);
    }

    public void awaitCondition(String catalog, String type, String status, String reason) {
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            Condition c = condition(catalog, type);
            assertThat(c).as(type).isNotNull();
            assertThat(c.getStatus() + "/" + c.getReason())
                    .as(type + ": " + c.getMessage())
                    .isEqualTo(status + "/" + reason);
        });
    }

    /** Sets one annotation with a merge patch (no read-modify-write race with status updates). */
    public void annotate(Class<? extends HasMetadata> type, String name, String key, String value) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}";
        client.resources(type)
                .inNamespace(namespace)
                .withName(name)
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        patch);
    }

    public boolean hasEvent(String object, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .anyMatch(e -> object.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()));
    }
}
