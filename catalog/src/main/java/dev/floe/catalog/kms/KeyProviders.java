package dev.floe.catalog.kms;

import dev.floe.catalog.kms.aws.AwsKmsKeyProvider;
import dev.floe.catalog.kms.azure.AzureKeyVaultKeyProvider;
import dev.floe.catalog.kms.gcp.GcpKmsKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.kms.vault.VaultTransitKeyProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the configured {@link KeyProvider}, already wrapped in {@link ResilientKeyProvider} (timeout,
 * bounded retries with backoff, circuit breaker). Fails at start-up with a message naming the
 * missing or bad {@code [kms]} key.
 */
public final class KeyProviders {

    /** Where Kubernetes mounts the pod's service-account token. */
    public static final String DEFAULT_SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private KeyProviders() {
    }

    public static ResilientKeyProvider create(KeyProviderSettings s, Map<String, String> env) {
        return create(s, env, KmsMetrics.NONE);
    }

    /** As {@link #create(KeyProviderSettings, Map)}, counting every call in {@code metrics}. */
    public static ResilientKeyProvider create(KeyProviderSettings s, Map<String, String> env, KmsMetrics metrics) {
        return new ResilientKeyProvider(createRaw(s, env), s.callPolicy(), metrics);
    }

    /** The provider without the resilience wrapper (tests, tools). */
    public static KeyProvider createRaw(KeyProviderSettings s, Map<String, String> env) {
        var timeout = s.callPolicy().callTimeout();
        return switch (s.provider()) {
            case "local", "env" -> s.path("key_ring_file")
                    .map(file -> LocalKeyProvider.fromKeyRingFile(file, s.optional("key_id").orElse(null)))
                    .orElseGet(() -> LocalKeyProvider.fromEnvironment(s.get("key_env_var", "FLOE_MASTER_KEY"), env,
                            s.optional("key_id").orElse(null)));
            case "aws" -> new AwsKmsKeyProvider(new AwsKmsKeyProvider.Settings(
                    s.require("key_id", "the KMS key id, ARN or alias"),
                    s.require("aws_region", "the key's region, e.g. eu-west-1"),
                    s.endpoint().orElse(null), timeout));
            case "gcp" -> new GcpKmsKeyProvider(new GcpKmsKeyProvider.Settings(
                    s.require("project_id", "the Google Cloud project"),
                    s.require("location", "the key ring's location, e.g. europe-west1"),
                    s.require("key_ring", "the key ring name"),
                    s.require("crypto_key", "the crypto key name"),
                    s.endpoint().orElse(null), s.path("credentials_file").orElse(null), timeout));
            case "azure" -> new AzureKeyVaultKeyProvider(new AzureKeyVaultKeyProvider.Settings(
                    s.require("vault_url", "the Key Vault URL, e.g. https://my-vault.vault.azure.net"),
                    s.require("key_name", "the RSA key's name in the vault"),
                    s.endpoint().orElse(null), timeout));
            case "vault" -> new VaultTransitKeyProvider(new VaultTransitKeyProvider.Settings(
                    s.require("vault_addr", "the Vault address, e.g. https://vault:8200"),
                    s.get("transit_mount", "transit"),
                    s.require("key_name", "the Transit key name"),
                    vaultAuth(s, env), timeout));
            default -> throw new IllegalArgumentException("[kms] provider: unknown provider '" + s.provider()
                    + "'; accepted: local, env, aws, gcp, azure, vault");
        };
    }

    private static VaultTransitKeyProvider.Auth vaultAuth(KeyProviderSettings s, Map<String, String> env) {
        if (s.optional("vault_kubernetes_role").isPresent()) {
            return new VaultTransitKeyProvider.KubernetesAuth(s.require("vault_kubernetes_role", "Kubernetes auth role"),
                    Path.of(s.get("vault_kubernetes_token_file", DEFAULT_SA_TOKEN)),
                    s.get("vault_kubernetes_mount", "kubernetes"));
        }
        String var = s.get("vault_token_env", "VAULT_TOKEN");
        return new VaultTransitKeyProvider.TokenAuth(() -> env.get(var));
    }
}
