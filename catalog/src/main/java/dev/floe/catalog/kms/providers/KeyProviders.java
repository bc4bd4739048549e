package dev.floe.catalog.kms.providers;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.floe.catalog.kms.AwsCredentialFiles;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.KmsMetrics;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretFiles;
import dev.floe.catalog.kms.aws.AwsKmsKeyProvider;
import dev.floe.catalog.kms.azure.AzureKeyVaultKeyProvider;
import dev.floe.catalog.kms.gcp.GcpKmsKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.kms.vault.VaultTransitKeyProvider;
import dev.floe.contract.CredentialFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds the configured {@link KeyProvider}, already wrapped in {@link ResilientKeyProvider} (timeout,
 * bounded retries with backoff, circuit breaker). Fails at start-up with a message naming the
 * missing or bad {@code [kms]} key.
 */
public final class KeyProviders {

    /** Where Kubernetes mounts the pod's service-account token. */
    public static final String DEFAULT_SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    private KeyProviders() {}

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
            case "local", "env" ->
                s.path("key_ring_file")
                        .map(file -> LocalKeyProvider.fromKeyRingFile(
                                file, s.optional("key_id").orElse(null)))
                        .or(() -> s.path("key_file")
                                .map(file -> LocalKeyProvider.fromKeyFile(
                                        file, s.optional("key_id").orElse(null))))
                        .orElseGet(() -> LocalKeyProvider.fromEnvironment(
                                s.get("key_env_var", "FLOE_MASTER_KEY"),
                                env,
                                s.optional("key_id").orElse(null)));
            case "aws" ->
                new AwsKmsKeyProvider(
                        new AwsKmsKeyProvider.Settings(
                                s.require("key_id", "the KMS key id, ARN or alias"),
                                s.require("aws_region", "the key's region, e.g. eu-west-1"),
                                s.endpoint().orElse(null),
                                timeout),
                        awsCredentials(s));
            case "gcp" ->
                new GcpKmsKeyProvider(new GcpKmsKeyProvider.Settings(
                        s.require("project_id", "the Google Cloud project"),
                        s.require("location", "the key ring's location, e.g. europe-west1"),
                        s.require("key_ring", "the key ring name"),
                        s.require("crypto_key", "the crypto key name"),
                        s.endpoint().orElse(null),
                        s.path("credentials_file").orElse(null),
                        timeout));
            case "azure" ->
                new AzureKeyVaultKeyProvider(
                        new AzureKeyVaultKeyProvider.Settings(
                                s.require("vault_url", "the Key Vault URL, e.g. https://my-vault.vault.azure.net"),
                                s.require("key_name", "the RSA key's name in the vault"),
                                s.endpoint().orElse(null),
                                timeout),
                        azureCredential(s));
            case "vault" ->
                new VaultTransitKeyProvider(new VaultTransitKeyProvider.Settings(
                        s.require("vault_addr", "the Vault address, e.g. https://vault:8200"),
                        s.get("transit_mount", "transit"),
                        s.require("key_name", "the Transit key name"),
                        vaultAuth(s, env),
                        timeout));
            default ->
                throw new IllegalArgumentException("[kms] provider: unknown provider '" + s.provider()
                        + "'; accepted: local, env, aws, gcp, azure, vault");
        };
    }

    private static VaultTransitKeyProvider.Auth vaultAuth(KeyProviderSettings s, Map<String, String> env) {
        if (s.optional("vault_kubernetes_role").isPresent()) {
            return new VaultTransitKeyProvider.KubernetesAuth(
                    s.require("vault_kubernetes_role", "Kubernetes auth role"),
                    Path.of(s.get("vault_kubernetes_token_file", DEFAULT_SA_TOKEN)),
                    s.get("vault_kubernetes_mount", "kubernetes"));
        }
        Optional<Path> file = s.path("vault_token_file");
        if (file.isPresent()) {
            // Read at every login, not once: a token renewed in the mounted Secret is picked up
            // when the kubelet updates the file, without a restart.
            return new VaultTransitKeyProvider.TokenAuth(() -> SecretFiles.read(file.get(), "[kms] vault_token_file"));
        }
        String var = s.get("vault_token_env", "VAULT_TOKEN");
        return new VaultTransitKeyProvider.TokenAuth(() -> env.get(var));
    }

    /**
     * AWS credentials from {@code [kms] credentials_dir} when set (files named as the SDK's
     * environment variables), else the SDK's default chain (environment, web identity, instance role).
     */
    private static AwsCredentialsProvider awsCredentials(KeyProviderSettings s) {
        return s.path("credentials_dir")
                .map(dir -> AwsCredentialFiles.provider(dir, "[kms] credentials_dir"))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    /** A service principal's client secret from {@code [kms] credentials_dir}, else azure-identity's default chain. */
    private static TokenCredential azureCredential(KeyProviderSettings s) {
        Optional<Path> dir = s.path("credentials_dir");
        if (dir.isEmpty()) {
            return new DefaultAzureCredentialBuilder().build();
        }
        Map<String, String> files = SecretFiles.readDirectory(
                dir.get(), CredentialFiles.AZURE, CredentialFiles.AZURE, "[kms] credentials_dir");
        return new ClientSecretCredentialBuilder()
                .clientId(files.get(CredentialFiles.AZURE_CLIENT_ID))
                .tenantId(files.get(CredentialFiles.AZURE_TENANT_ID))
                .clientSecret(files.get(CredentialFiles.AZURE_CLIENT_SECRET))
                .build();
    }
}
