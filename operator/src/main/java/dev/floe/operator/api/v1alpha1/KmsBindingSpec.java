package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of a {@link KmsBinding}: exactly one provider block, with the key identity fields
 * of the catalog's `[kms]` TOML section, plus credentials and a rotation schedule.
 */
@ValidationRule(
        value =
                "(has(self.local) ? 1 : 0) + (has(self.aws) ? 1 : 0) + (has(self.gcp) ? 1 : 0) + (has(self.azure) ? 1 : 0) + (has(self.vault) ? 1 : 0) == 1",
        message = "set exactly one provider block: local, aws, gcp, azure or vault",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KmsBindingSpec(
        @JsonPropertyDescription("Local master key from a Secret. For development and tests only.")
        KmsProviders.Local local,

        @JsonPropertyDescription("AWS KMS key.") KmsProviders.Aws aws,

        @JsonPropertyDescription("Google Cloud KMS crypto key.")
        KmsProviders.Gcp gcp,

        @JsonPropertyDescription("Azure Key Vault key.") KmsProviders.Azure azure,

        @JsonPropertyDescription("HashiCorp Vault (or OpenBao) Transit key.")
        KmsProviders.Vault vault,

        @JsonPropertyDescription(
                "Where the catalog gets KMS credentials: a Secret, workload identity, or Vault Kubernetes auth.")
        KmsCredentials credentials,

        @JsonPropertyDescription("Scheduled rotation of the key material protecting the catalogs' data keys.")
        Rotation rotation) {

    /** The provider name as the catalog's TOML spells it. */
    @JsonIgnore
    public String provider() {
        if (local != null) {
            return "local";
        }
        if (aws != null) {
            return "aws";
        }
        if (gcp != null) {
            return "gcp";
        }
        if (azure != null) {
            return "azure";
        }
        return vault != null ? "vault" : "none";
    }
}
