package dev.floe.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Multi-document YAML (helm template, kubectl kustomize, the release manifest) as typed objects. */
public final class Manifests {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {}

    @SuppressWarnings("unchecked")
    public static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        if (parsed == null) {
            return List.of();
        }
        return parsed instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) parsed);
    }

    public static <T extends HasMetadata> Optional<T> find(
            List<HasMetadata> objects, Class<T> type, String namespace, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .filter(o ->
                        namespace == null || namespace.equals(o.getMetadata().getNamespace()))
                .findFirst();
    }

    public static <T extends HasMetadata> T get(
            List<HasMetadata> objects, Class<T> type, String namespace, String name) {
        return find(objects, type, namespace, name)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " "
                        + (namespace == null ? "" : namespace + "/") + name + " in the manifest"));
    }

    /** kind/namespace/name of each object, to compare what two renderings contain. */
    public static List<String> identities(List<HasMetadata> objects) {
        return objects.stream()
                .map(o -> o.getKind() + "/"
                        + Optional.ofNullable(o.getMetadata().getNamespace()).orElse("") + "/"
                        + o.getMetadata().getName())
                .sorted()
                .toList();
    }
}
