package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Overrides for the catalog pods and their ServiceAccount. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodOverrides(
        @JsonPropertyDescription("Extra labels on the pods.")
        Map<String, String> labels,

        @JsonPropertyDescription("Extra annotations on the pods.")
        Map<String, String> annotations,

        @JsonPropertyDescription("Node selector of the pods.")
        Map<String, String> nodeSelector,

        @JsonPropertyDescription("Tolerations of the pods.") List<Toleration> tolerations,
        @JsonPropertyDescription("Affinity of the pods.") Affinity affinity,

        @JsonPropertyDescription(
                "Pod security context of the catalog pods and rotation Jobs, merged field by field over the operator's restricted default (runAsNonRoot: true, runAsUser, runAsGroup and fsGroup 10001, seccompProfile RuntimeDefault): the fields set here win, the others keep the default.")
        PodSecurityContext securityContext,

        @JsonPropertyDescription(
                "Annotations on the catalog's ServiceAccount, for workload identity (for example `eks.amazonaws.com/role-arn`).")
        Map<String, String> serviceAccountAnnotations) {}
