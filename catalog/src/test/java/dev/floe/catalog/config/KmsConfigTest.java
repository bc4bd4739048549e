package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.aws.AwsKmsKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.kms.vault.VaultTransitKeyProvider;
import dev.floe.catalog.server.EncryptionBeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code [kms]} table per provider: every key parsed from TOML and from {@code FLOE_KMS_*}
 * variables reaches the key provider with its documented meaning, and bad values stop start-up
 * with a message naming the key.
 */
class KmsConfigTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private ConfigLoader fromToml(String kms) throws Exception {
        Path toml = dir.resolve("floe-" + System.nanoTime() + ".toml");
        Files.writeString(toml, "[kms]\n" + kms);
        return new ConfigLoader().file(toml);
    }

    private static KeyProviderSettings providerSettings(FloeConfig config) {
        return EncryptionBeans.providerSettings(config.kms());
    }

    @Test
    void localReadsTheKeyRingFileAndRecordsKeyIdAsTheMasterKeyId() throws Exception {
        Path ring = Files.writeString(dir.resolve("ring"), "1:" + KEY + "\n2:" + KEY + "\n");
        FloeConfig config = fromToml("""
                provider = "env"
                key_id = "tenant-a"
                key_ring_file = "%s"
                """.formatted(ring)).load();
        assertThat(config.kms().provider()).isEqualTo("local");
        try (KeyProvider p = KeyProviders.createRaw(providerSettings(config), Map.of())) {
            assertThat(p).isInstanceOf(LocalKeyProvider.class);
            assertThat(p.currentVersion().keyId()).isEqualTo("tenant-a");
            assertThat(p.currentVersion().version()).isEqualTo("2");
            SecretBytes dek = SecretBytes.copyOf(new byte[32]);
            assertThat(p.unwrap(p.wrap(dek)).sameContentAs(dek)).isTrue();
        }
    }

    @Test
    void localWithoutRingFileReadsTheNamedEnvironmentVariable() throws Exception {
        FloeConfig config =
                fromToml("provider = \"local\"\nkey_env_var = \"MY_KEY\"\n").load();
        try (KeyProvider p = KeyProviders.createRaw(providerSettings(config), Map.of("MY_KEY", KEY))) {
            assertThat(p.currentVersion().keyId()).isEqualTo("env:MY_KEY");
            assertThat(p.currentVersion().version()).isEqualTo("1");
        }
        assertThatThrownBy(() -> fromToml("provider = \"local\"\nkey_ring_file = \"/nonexistent/ring\"\n")
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms.key_ring_file")
                .hasMessageContaining("/nonexistent/ring");
    }

    @Test
    void awsTakesKeyRegionEndpointAndRequiresKeyAndRegion() throws Exception {
        FloeConfig config = fromToml("""
                provider = "aws"
                key_id = "alias/floe"
                aws_region = "eu-west-1"
                endpoint = "http://127.0.0.1:4566"
                """).load();
        KeyProviderSettings s = providerSettings(config);
        assertThat(s.endpoint())
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:4566"));
        try (KeyProvider p = KeyProviders.createRaw(s, Map.of())) {
            assertThat(p).isInstanceOf(AwsKmsKeyProvider.class);
        }
        assertThatThrownBy(() -> fromToml("provider = \"aws\"\naws_region = \"eu-west-1\"\n")
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms.key_id")
                .hasMessageContaining("required when kms.provider = aws")
                .hasMessageContaining("FLOE_KMS_KEY_ID");
        assertThatThrownBy(() -> fromToml(
                                "provider = \"aws\"\nkey_id = \"k\"\naws_region = \"r\"\nendpoint = \"localhost:4566\"\n")
                        .load())
                .hasMessageContaining("kms.endpoint")
                .hasMessageContaining("absolute http");
    }

    @Test
    void gcpTakesItsKeyPathCredentialsFileAndEndpoint() throws Exception {
        Path creds = Files.writeString(dir.resolve("sa.json"), "{}");
        FloeConfig config = fromToml("""
                provider = "gcp"
                project_id = "p1"
                location = "europe-west1"
                key_ring = "floe"
                crypto_key = "catalog"
                credentials_file = "%s"
                endpoint = "https://kms.private.example:443"
                """.formatted(creds)).load();
        KeyProviderSettings s = providerSettings(config);
        assertThat(s.keys())
                .containsEntry("project_id", "p1")
                .containsEntry("location", "europe-west1")
                .containsEntry("key_ring", "floe")
                .containsEntry("crypto_key", "catalog");
        assertThat(s.path("credentials_file")).contains(creds);
        assertThat(s.endpoint()).isPresent();
        assertThatThrownBy(
                        () -> fromToml("provider = \"gcp\"\nproject_id = \"p\"\nlocation = \"l\"\nkey_ring = \"r\"\n")
                                .load())
                .hasMessageContaining("kms.crypto_key");
        assertThatThrownBy(() ->
                        fromToml("""
                provider = "gcp"
                project_id = "p"
                location = "l"
                key_ring = "r"
                crypto_key = "k"
                credentials_file = "%s"
                """.formatted(dir.resolve("missing.json"))).load())
                .hasMessageContaining("kms.credentials_file")
                .hasMessageContaining("does not exist");
    }

    @Test
    void azureTakesVaultUrlKeyNameAndEndpoint() throws Exception {
        FloeConfig config = fromToml("""
                provider = "azure"
                vault_url = "https://tenant.vault.azure.net"
                key_name = "catalog"
                endpoint = "https://tenant.privatelink.vaultcore.azure.net"
                """).load();
        KeyProviderSettings s = providerSettings(config);
        assertThat(s.keys())
                .containsEntry("vault_url", "https://tenant.vault.azure.net")
                .containsEntry("key_name", "catalog");
        assertThat(s.endpoint()).isPresent();
        assertThatThrownBy(() -> fromToml("provider = \"azure\"\nvault_url = \"tenant\"\nkey_name = \"k\"\n")
                        .load())
                .hasMessageContaining("kms.vault_url")
                .hasMessageContaining("absolute http");
    }

    @Test
    void vaultUsesTheTokenVariableOrKubernetesAuthWithTokenFileAndMount() throws Exception {
        FloeConfig tokenConfig = fromToml("""
                provider = "vault"
                vault_addr = "https://vault:8200"
                key_name = "floe"
                transit_mount = "kms/transit"
                vault_token_env = "MY_VAULT_TOKEN"
                """).load();
        try (KeyProvider p = KeyProviders.createRaw(providerSettings(tokenConfig), Map.of("MY_VAULT_TOKEN", "t"))) {
            assertThat(p).isInstanceOf(VaultTransitKeyProvider.class);
        }
        assertThat(providerSettings(tokenConfig).keys())
                .containsEntry("transit_mount", "kms/transit")
                .containsEntry("vault_token_env", "MY_VAULT_TOKEN")
                .doesNotContainKey("vault_kubernetes_role");

        Path jwt = Files.writeString(dir.resolve("token"), "header.payload.sig");
        FloeConfig k8s = fromToml("""
                provider = "vault"
                vault_addr = "https://vault:8200"
                key_name = "floe"
                vault_kubernetes_token_file = "%s"
                vault_kubernetes_mount = "k8s-prod"
                """.formatted(jwt))
                .environment(Map.of("FLOE_KMS_VAULT_KUBERNETES_ROLE", "floe-catalog"))
                .load();
        assertThat(providerSettings(k8s).keys())
                .containsEntry("vault_kubernetes_role", "floe-catalog")
                .containsEntry("vault_kubernetes_token_file", jwt.toString())
                .containsEntry("vault_kubernetes_mount", "k8s-prod");

        assertThatThrownBy(() -> fromToml("""
                provider = "vault"
                vault_addr = "https://vault:8200"
                key_name = "floe"
                vault_kubernetes_role = "r"
                vault_kubernetes_token_file = "/nonexistent/token"
                """).load())
                .hasMessageContaining("kms.vault_kubernetes_token_file")
                .hasMessageContaining("/nonexistent/token");
        assertThatThrownBy(() ->
                        fromToml("provider = \"vault\"\nkey_name = \"floe\"\n").load())
                .hasMessageContaining("kms.vault_addr")
                .hasMessageContaining("required when kms.provider = vault");
    }

    @Test
    void callGuardsComeFromTheFileAndTheEnvironment() throws Exception {
        FloeConfig config = fromToml("""
                timeout_seconds = 1.5
                max_attempts = 4
                backoff_seconds = 0.05
                backoff_max_seconds = 1
                breaker_threshold = 7
                """)
                .environment(Map.of("FLOE_KMS_BREAKER_OPEN_SECONDS", "12"))
                .load();
        KmsCallPolicy policy = providerSettings(config).callPolicy();
        assertThat(policy)
                .isEqualTo(new KmsCallPolicy(
                        Duration.ofMillis(1500),
                        4,
                        Duration.ofMillis(50),
                        Duration.ofSeconds(1),
                        7,
                        Duration.ofSeconds(12)));
        assertThat(providerSettings(new ConfigLoader().load()).callPolicy()).isEqualTo(KmsCallPolicy.defaults());
    }

    @Test
    void badCallGuardsNameTheKeyAndWhereTheValueCameFrom() throws Exception {
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_KMS_TIMEOUT_SECONDS", "0"))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kms.timeout_seconds")
                .hasMessageContaining("FLOE_KMS_TIMEOUT_SECONDS");
        assertThatThrownBy(() -> fromToml("max_attempts = 0\n").load())
                .hasMessageContaining("kms.max_attempts")
                .hasMessageContaining("1 to 10");
        assertThatThrownBy(() -> fromToml("breaker_threshold = \"many\"\n").load())
                .hasMessageContaining("kms.breaker_threshold");
        assertThatThrownBy(() -> fromToml("backoff_seconds = 3\nbackoff_max_seconds = 1\n")
                        .load())
                .hasMessageContaining("kms.backoff_max_seconds");
        assertThatThrownBy(() -> fromToml("breaker_open_seconds = -1\n").load())
                .hasMessageContaining("kms.breaker_open_seconds");
    }

    @Test
    void generateConfigListsEveryKmsKeyWithItsDefault() {
        String template = ConfigLoader.commentedTemplate();
        assertThat(template)
                .contains(
                        "# endpoint = \"\"",
                        "# key_ring_file = \"\"",
                        "# credentials_file = \"\"",
                        "# vault_kubernetes_role = \"\"",
                        "vault_kubernetes_token_file = \"/var/run/secrets/kubernetes.io/serviceaccount/token\"",
                        "vault_kubernetes_mount = \"kubernetes\"",
                        "timeout_seconds = 5",
                        "max_attempts = 3",
                        "backoff_seconds = 0.2",
                        "backoff_max_seconds = 2",
                        "breaker_threshold = 5",
                        "breaker_open_seconds = 30",
                        "FLOE_KMS_VAULT_KUBERNETES_ROLE");
    }
}
