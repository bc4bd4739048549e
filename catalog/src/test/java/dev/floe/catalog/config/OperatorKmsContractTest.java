package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.server.EncryptionBeans;
import dev.floe.contract.CredentialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract with the operator: the {@code [kms]} tables that
 * {@code operator/.../catalog/CatalogToml.java} renders for each provider parse here with the
 * meaning the operator intends, the credentials coming from the binding's Secret mounted as files.
 * Key names, paths and file names are shared through {@code contract/} (a renamed key fails to
 * compile on one side); the value shapes below are what the operator writes, with the mount
 * directory replaced by a temporary one.
 */
class OperatorKmsContractTest {

    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private FloeConfig load(String kms, Map<String, String> env) throws Exception {
        Path toml = dir.resolve("floe.toml");
        Files.writeString(toml, """
                [server]
                host = "0.0.0.0"
                port = 8181
                [storage]
                url = "file:///var/lib/floe"
                [warehouse]
                location = "s3://bucket/wh"
                [kms]
                """ + kms);
        return new ConfigLoader().file(toml).environment(env).load();
    }

    private static KeyProviderSettings settings(FloeConfig config) {
        return EncryptionBeans.providerSettings(config.kms());
    }

    @Test
    void localKeyComesFromTheMountedMasterKeyFileWithNothingInTheEnvironment() throws Exception {
        // What the operator writes: key_file in the KmsBinding Secret's mount, key_id from spec.local.keyId.
        Path keyFile = Files.writeString(dir.resolve("master-key"), MASTER_KEY + "\n");
        FloeConfig config = load("""
                provider = "local"
                key_file = "%s"
                key_id = "dev-1"
                """.formatted(keyFile), Map.of());
        try (KeyProvider p = KeyProviders.createRaw(settings(config), Map.of());
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            assertThat(p.currentVersion().keyId()).isEqualTo("dev-1");
            assertThat(p.unwrap(p.wrap(dek)).sameContentAs(dek)).isTrue();
        }
    }

    @Test
    void localKeyComesFromFloeKmsLocalKeyAndKeyIdNamesTheMasterKey() throws Exception {
        Map<String, String> env = Map.of("FLOE_KMS_LOCAL_KEY", MASTER_KEY);
        FloeConfig config = load("""
                provider = "local"
                key_env_var = "FLOE_KMS_LOCAL_KEY"
                key_id = "local"
                """, env);
        try (KeyProvider p = KeyProviders.createRaw(settings(config), env)) {
            assertThat(p.kind()).isEqualTo("local");
            assertThat(p.currentVersion().keyId()).isEqualTo("local");
        }
    }

    /** The KmsBinding Secret as the kubelet mounts it: one file per key. */
    private Path mountedSecret(Map<String, String> keys) throws Exception {
        Path kms = Files.createDirectories(dir.resolve("kms"));
        for (Map.Entry<String, String> e : keys.entrySet()) {
            Files.writeString(kms.resolve(e.getKey()), e.getValue());
        }
        return kms;
    }

    @Test
    void awsCredentialsComeFromTheMountedSecretDirectory() throws Exception {
        Path kms = mountedSecret(
                Map.of(CredentialFiles.AWS_ACCESS_KEY_ID, "AKIA...", CredentialFiles.AWS_SECRET_ACCESS_KEY, "x"));
        FloeConfig config = load("""
                provider = "aws"
                key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                aws_region = "eu-west-1"
                credentials_dir = "%s"
                """.formatted(kms), Map.of());
        assertThat(settings(config).path("credentials_dir")).contains(kms);
        try (KeyProvider p = KeyProviders.createRaw(settings(config), Map.of())) {
            assertThat(p.kind()).isEqualTo("aws");
        }
        assertThat(settings(config).keys())
                .containsEntry("aws_region", "eu-west-1")
                .containsEntry("key_id", "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(settings(config).endpoint()).isEmpty();
    }

    @Test
    void endpointOverrideOfEachCloudProviderReachesTheProviderSettings() throws Exception {
        // KmsBinding spec.aws/gcp/azure.endpoint, written only when set (https:// only in the CRD).
        FloeConfig aws = load("""
                provider = "aws"
                key_id = "alias/x"
                aws_region = "eu-west-1"
                endpoint = "https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com"
                """, Map.of());
        assertThat(settings(aws).endpoint())
                .contains(java.net.URI.create("https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com"));
        FloeConfig gcp = load("""
                provider = "gcp"
                project_id = "p1"
                location = "global"
                key_ring = "floe"
                crypto_key = "catalog"
                endpoint = "https://cloudkms-floe.p.googleapis.com"
                """, Map.of());
        assertThat(settings(gcp).endpoint()).contains(java.net.URI.create("https://cloudkms-floe.p.googleapis.com"));
        FloeConfig azure = load("""
                provider = "azure"
                vault_url = "https://tenant.vault.azure.net"
                key_name = "catalog"
                endpoint = "https://10.0.0.7"
                """, Map.of());
        assertThat(settings(azure).endpoint()).contains(java.net.URI.create("https://10.0.0.7"));
    }

    @Test
    void gcpReadsTheMountedServiceAccountKeyNamedByCredentialsFile() throws Exception {
        Path kms = mountedSecret(Map.of(CredentialFiles.GCP_CREDENTIALS, "{}"));
        FloeConfig config = load("""
                provider = "gcp"
                project_id = "p1"
                location = "europe-west1"
                key_ring = "floe"
                crypto_key = "catalog"
                credentials_file = "%s"
                """.formatted(kms.resolve(CredentialFiles.GCP_CREDENTIALS)), Map.of());
        assertThat(settings(config).path("credentials_file")).contains(kms.resolve(CredentialFiles.GCP_CREDENTIALS));
        assertThat(settings(config).keys()).containsEntry("crypto_key", "catalog");
    }

    @Test
    void azureTakesVaultUrlKeyNameAndTheMountedClientSecret() throws Exception {
        Path kms = mountedSecret(Map.of(
                CredentialFiles.AZURE_CLIENT_ID,
                "c",
                CredentialFiles.AZURE_TENANT_ID,
                "t",
                CredentialFiles.AZURE_CLIENT_SECRET,
                "s"));
        FloeConfig config = load("""
                provider = "azure"
                vault_url = "https://tenant.vault.azure.net"
                key_name = "catalog"
                credentials_dir = "%s"
                """.formatted(kms), Map.of());
        try (KeyProvider p = KeyProviders.createRaw(settings(config), Map.of())) {
            assertThat(p.kind()).isEqualTo("azure");
        }
        assertThat(settings(config).keys())
                .containsEntry("vault_url", "https://tenant.vault.azure.net")
                .containsEntry("key_name", "catalog");
    }

    private static final String VAULT = """
            provider = "vault"
            vault_addr = "https://vault.vault.svc:8200"
            key_name = "floe"
            transit_mount = "transit"
            """;

    @Test
    void vaultWithASecretTokenReadsTheMountedTokenFile() throws Exception {
        Path kms = mountedSecret(Map.of(CredentialFiles.VAULT_TOKEN, "s.secret"));
        FloeConfig config =
                load(VAULT + "vault_token_file = \"" + kms.resolve(CredentialFiles.VAULT_TOKEN) + "\"\n", Map.of());
        assertThat(settings(config).path("vault_token_file")).contains(kms.resolve(CredentialFiles.VAULT_TOKEN));
        assertThat(settings(config).keys()).doesNotContainKey("vault_kubernetes_role");
    }

    /** What the operator writes with credentials.vaultKubernetesRole and no mount: no vault_token_env. */
    private static final String VAULT_KUBERNETES_DEFAULT_MOUNT = """
            provider = "vault"
            vault_addr = "https://vault.vault.svc:8200"
            key_name = "floe"
            transit_mount = "transit"
            """;

    @Test
    void vaultKubernetesRoleFromTheDeploymentEnvSwitchesToKubernetesAuthWithThePodToken() throws Exception {
        // The operator sets FLOE_KMS_VAULT_KUBERNETES_ROLE and automounts the service-account token.
        Map<String, String> env = Map.of("FLOE_KMS_VAULT_KUBERNETES_ROLE", "floe-catalog");
        assertThatThrownBy(() -> load(VAULT_KUBERNETES_DEFAULT_MOUNT, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms.vault_kubernetes_token_file")
                .hasMessageContaining("/var/run/secrets/kubernetes.io/serviceaccount/token");

        Path token = Files.writeString(dir.resolve("token"), "jwt");
        FloeConfig config = load(
                VAULT_KUBERNETES_DEFAULT_MOUNT,
                Map.of(
                        "FLOE_KMS_VAULT_KUBERNETES_ROLE",
                        "floe-catalog",
                        "FLOE_KMS_VAULT_KUBERNETES_TOKEN_FILE",
                        token.toString()));
        assertThat(settings(config).keys())
                .containsEntry("vault_kubernetes_role", "floe-catalog")
                .containsEntry("vault_kubernetes_mount", "kubernetes");
    }

    /** With credentials.vaultKubernetesRole the operator writes no vault_token_env, and the mount only when set. */
    private static final String VAULT_KUBERNETES = """
            provider = "vault"
            vault_addr = "https://vault.vault.svc:8200"
            key_name = "floe"
            transit_mount = "transit"
            vault_kubernetes_mount = "k8s/prod"
            """;

    @Test
    void vaultKubernetesMountFromTheBindingReachesTheProviderSettings() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "jwt");
        Map<String, String> env = Map.of(
                "FLOE_KMS_VAULT_KUBERNETES_ROLE",
                "floe-catalog",
                "FLOE_KMS_VAULT_KUBERNETES_TOKEN_FILE",
                token.toString());
        FloeConfig config = load(VAULT_KUBERNETES, env);
        assertThat(settings(config).keys())
                .containsEntry("vault_kubernetes_role", "floe-catalog")
                .containsEntry("vault_kubernetes_mount", "k8s/prod");
    }
}
