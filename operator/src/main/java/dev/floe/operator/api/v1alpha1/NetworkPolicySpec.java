package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** An optional NetworkPolicy in front of the catalog. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicySpec(
        @JsonPropertyDescription("Create a NetworkPolicy that admits only the listed peers to the catalog port.")
        @Default("false")
        Boolean enabled,

        @JsonPropertyDescription("Namespaces (by name) whose pods may reach the catalog.")
        List<String> allowedNamespaces,

        @JsonPropertyDescription("Pods in the catalog's namespace, by label selector, that may reach the catalog.")
        List<LabelSelector> allowedPodSelectors) {

    public static boolean isEnabled(NetworkPolicySpec spec) {
        return spec != null && Boolean.TRUE.equals(spec.enabled());
    }
}
