package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The provider blocks of a {@link KmsBindingSpec}; their fields map onto the catalog's `[kms]` keys. */
public final class KmsProviders {
    private KmsProviders() {}

    /** `provider = "local"`: the master key comes from the credentials Secret, key `master-key`. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Local(
            @JsonPropertyDescription("Identifier recorded with wrapped data keys (`key_id`).") @Default("local")
            String keyId) {}

    /** `provider = "aws"`. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Aws(
            @JsonPropertyDescription("KMS key ARN, key id or alias (`key_id`).")
            @Required
            @Pattern("^(arn:aws[a-z-]*:kms:.+|alias/.+|[0-9a-f-]{36}|mrk-[0-9a-f]+)$")
            String keyId,

            @JsonPropertyDescription("AWS region of the key (`aws_region`).")
            @Required
            @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
            String region,

            @JsonPropertyDescription(
                    "KMS API endpoint override, for example an interface VPC endpoint `https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com` (`endpoint`). Optional; an https:// URL. Unset: the provider's public endpoint.")
            @Pattern(Names.HTTPS_URL)
            String endpoint) {}

    /** `provider = "gcp"`. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gcp(
            @JsonPropertyDescription("Google Cloud project (`project_id`).") @Required
            String projectId,

            @JsonPropertyDescription("Key ring location, for example `europe-west1` or `global` (`location`).")
            @Required
            String location,

            @JsonPropertyDescription("Key ring (`key_ring`).") @Required
            String keyRing,

            @JsonPropertyDescription("Crypto key (`crypto_key`).") @Required
            String cryptoKey,

            @JsonPropertyDescription(
                    "Cloud KMS API endpoint override, for example a Private Service Connect endpoint `https://cloudkms-floe.p.googleapis.com` (`endpoint`). Optional; an https:// URL. Unset: the provider's public endpoint.")
            @Pattern(Names.HTTPS_URL)
            String endpoint) {}

    /** `provider = "azure"`. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Azure(
            @JsonPropertyDescription("Key Vault URL, `https://<vault>.vault.azure.net` (`vault_url`).")
            @Required
            @Pattern("^https://.+")
            String vaultUrl,

            @JsonPropertyDescription("Key name (`key_name`).") @Required
            String keyName,

            @JsonPropertyDescription(
                    "URL the catalog sends Key Vault requests to instead of vaultUrl, for example a private endpoint (`endpoint`). Optional; an https:// URL. Unset: the provider's public endpoint.")
            @Pattern(Names.HTTPS_URL)
            String endpoint) {}

    /** `provider = "vault"`: Transit secrets engine. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vault(
            @JsonPropertyDescription("Vault address (`vault_addr`).") @Required @Pattern("^https?://.+")
            String address,

            @JsonPropertyDescription("Transit key name (`key_name`).") @Required
            String keyName,

            @JsonPropertyDescription("Mount path of the Transit engine (`transit_mount`).") @Default("transit")
            String transitMount) {}
}
