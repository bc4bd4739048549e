package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Where KMS credentials come from. A Secret must hold, per provider: local `master-key`;
 * aws `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; gcp `credentials.json`; azure
 * `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_CLIENT_SECRET`; vault `token`.
 */
@ValidationRule(
        value =
                "(has(self.secretRef) ? 1 : 0) + (has(self.workloadIdentity) ? 1 : 0) + (has(self.vaultKubernetesRole) ? 1 : 0) <= 1",
        message =
                "set at most one of credentials.secretRef, credentials.workloadIdentity or credentials.vaultKubernetesRole",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.vaultKubernetesMount) || has(self.vaultKubernetesRole)",
        message = "credentials.vaultKubernetesMount needs credentials.vaultKubernetesRole",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KmsCredentials(
        @JsonPropertyDescription(
                "Secret in this namespace with the provider's credential keys (see the type description).")
        @Pattern(Names.DNS_SUBDOMAIN)
        String secretRef,

        @JsonPropertyDescription(
                "Workload identity: nothing is mounted; these annotations go on the catalog's ServiceAccount (for example `eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account`, `azure.workload.identity/client-id`).")
        WorkloadIdentity workloadIdentity,

        @JsonPropertyDescription(
                "Vault only: role of Vault's Kubernetes auth method, used with the catalog's ServiceAccount token.")
        String vaultKubernetesRole,

        @JsonPropertyDescription(
                "Vault only, with vaultKubernetesRole: mount path of Vault's Kubernetes auth method (`vault_kubernetes_mount`). Unset: the catalog's default, `kubernetes`.")
        @Pattern(Names.VAULT_MOUNT)
        String vaultKubernetesMount) {

    /** Annotations that let the cloud provider map the ServiceAccount to a cloud identity. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadIdentity(
            @JsonPropertyDescription("Annotations for the catalog's ServiceAccount.")
            Map<String, String> serviceAccountAnnotations) {}
}
