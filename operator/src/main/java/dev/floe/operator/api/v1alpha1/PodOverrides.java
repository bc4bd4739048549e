package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Overrides for the catalog pods and their ServiceAccount. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "!has(self.env) || self.env.all(e, !e.name.startsWith('FLOE_') || e.name == 'FLOE_JAVA_OPTS' || e.name == 'FLOE_LOG_FORMAT')",
        message =
                "podTemplate.env may set FLOE_JAVA_OPTS and FLOE_LOG_FORMAT; other FLOE_* names are the operator's (set the catalog's settings in the spec)")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, e.name != 'GOOGLE_APPLICATION_CREDENTIALS')",
        message =
                "podTemplate.env may not set GOOGLE_APPLICATION_CREDENTIALS: use spec.warehouse.credentialsSecret or workloadIdentity")
@ValidationRule(
        value = "!has(self.env) || self.env.all(e, self.env.exists_one(f, f.name == e.name))",
        message = "podTemplate.env names must be unique")
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
        Map<String, String> serviceAccountAnnotations,

        @JsonPropertyDescription(
                "Extra environment variables of the catalog container, after the operator's own: FLOE_JAVA_OPTS (JVM options; they override the image's defaults), FLOE_LOG_FORMAT (text or json), MALLOC_ARENA_MAX, proxy settings. Names the operator owns are refused: FLOE_* other than those two (the catalog's settings come from the ConfigMap the operator renders) and GOOGLE_APPLICATION_CREDENTIALS.")
        @Size(max = 16)
        List<PodEnvVar> env) {}
