package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.api.v1alpha1.AuthSpec;
import dev.floe.operator.api.v1alpha1.EmbeddedStorage;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsCredentials;
import dev.floe.operator.api.v1alpha1.KmsProviders;
import dev.floe.operator.api.v1alpha1.KmsRef;
import dev.floe.operator.api.v1alpha1.PostgresStorage;
import dev.floe.operator.api.v1alpha1.StorageSpec;
import dev.floe.operator.api.v1alpha1.WarehouseSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class CatalogTomlTest {
    static IcebergCatalog catalog(StorageSpec storage) {
        IcebergCatalog c = new IcebergCatalog();
        c.setMetadata(
                new ObjectMetaBuilder().withName("sales").withNamespace("team").build());
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                storage,
                new WarehouseSpec(
                        "s3://lake/wh", null, new WarehouseSpec.S3Options("https://minio:9000", "us-east-1", true)),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null,
                null,
                null));
        return c;
    }

    static KmsBinding binding(KmsBindingSpec spec) {
        KmsBinding b = new KmsBinding();
        b.setMetadata(
                new ObjectMetaBuilder().withName("kms").withNamespace("team").build());
        b.setSpec(spec);
        return b;
    }

    @Test
    void rendersEmbeddedCatalogWithLocalKms() {
        String toml = CatalogToml.render(
                catalog(new StorageSpec(new EmbeddedStorage("1Gi", null, null), null)),
                binding(new KmsBindingSpec(
                        new KmsProviders.Local("dev-1"),
                        null,
                        null,
                        null,
                        null,
                        new KmsCredentials("master", null, null, null),
                        null)));
        assertThat(toml)
                .contains("[server]\nhost = \"0.0.0.0\"\nport = 8443\n")
                .contains("[storage]\nurl = \"file:///var/lib/floe\"\n")
                .contains("[warehouse]\nlocation = \"s3://lake/wh\"\n")
                .contains("[kms]\nprovider = \"local\"\nkey_file = \"/etc/floe/kms/master-key\"\nkey_id = \"dev-1\"\n")
                .doesNotContain("[tls]")
                .doesNotContain("[auth]");
    }

    @Test
    void writesTheS3OptionsAsTheCatalogsWarehouseKeys() {
        String toml = CatalogToml.render(catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null)), null);
        assertThat(toml)
                .contains("[warehouse]\nlocation = \"s3://lake/wh\"\ns3_endpoint = \"https://minio:9000\"\n"
                        + "s3_region = \"us-east-1\"\ns3_path_style_access = true\n");
    }

    @Test
    void writesTheVendingRoleLifetimeAndStsEndpoint() {
        IcebergCatalog c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                new WarehouseSpec(
                        "s3://lake/wh",
                        null,
                        new WarehouseSpec.S3Options(
                                null,
                                "eu-west-3",
                                null,
                                new WarehouseSpec.S3Vending(
                                        "arn:aws:iam::111122223333:role/floe-vending",
                                        900,
                                        "https://sts.eu-west-3.amazonaws.com"))),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("s3_region = \"eu-west-3\"\n"
                        + "s3_vending_role_arn = \"arn:aws:iam::111122223333:role/floe-vending\"\n"
                        + "s3_vending_lifetime_seconds = 900\n"
                        + "s3_sts_endpoint = \"https://sts.eu-west-3.amazonaws.com\"\n");
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                new WarehouseSpec(
                        "s3://lake/wh",
                        null,
                        new WarehouseSpec.S3Options(
                                null,
                                null,
                                null,
                                new WarehouseSpec.S3Vending(
                                        "arn:aws:iam::111122223333:role/floe-vending", null, null))),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("s3_vending_role_arn = ")
                .doesNotContain("s3_vending_lifetime_seconds")
                .doesNotContain("s3_sts_endpoint");
    }

    @Test
    void rendersRemoteSigning() {
        IcebergCatalog c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                new WarehouseSpec(
                        "s3://lake/wh",
                        "s3-keys",
                        new WarehouseSpec.S3Options("http://s3.storage.svc:8080", null, true, null, true)),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("s3_path_style_access = true\ns3_remote_signing = true\n")
                .doesNotContain("s3_vending");
    }

    @Test
    void leavesUnsetS3OptionsToTheCatalogsDefaults() {
        IcebergCatalog c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                new WarehouseSpec(
                        "s3://lake/wh",
                        "s3-keys",
                        new WarehouseSpec.S3Options("http://s3.storage.svc:8080", null, null)),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("location = \"s3://lake/wh\"\ns3_endpoint = \"http://s3.storage.svc:8080\"\n")
                .doesNotContain("s3_region")
                .doesNotContain("s3_path_style_access")
                .doesNotContain("s3-keys")
                .doesNotContain("s3_vending")
                .doesNotContain("s3_remote_signing")
                // the Secret's name stays out; its mount path is the contract's
                .contains("credentials_dir = \"/etc/floe/secrets/warehouse\"\n");
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                new WarehouseSpec("gs://lake/wh", null, null),
                null,
                new KmsRef("kms"),
                null,
                null,
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("[warehouse]\nlocation = \"gs://lake/wh\"\n")
                .doesNotContain("s3_");
    }

    @Test
    void rendersPostgresWithVaultAndNoSecretValues() {
        String toml = CatalogToml.render(
                catalog(new StorageSpec(null, new PostgresStorage("db", 5433, "floe", null, "db-creds"))),
                binding(new KmsBindingSpec(
                        null,
                        null,
                        null,
                        null,
                        new KmsProviders.Vault("https://vault:8200", "k1", null),
                        new KmsCredentials("vault-token", null, null, null),
                        null)));
        assertThat(toml)
                .contains(
                        "url = \"jdbc:postgresql://db:5433/floe\"\nusername_file = \"/etc/floe/secrets/storage/username\"\n"
                                + "password_file = \"/etc/floe/secrets/storage/password\"\n")
                .contains(
                        "provider = \"vault\"\nvault_addr = \"https://vault:8200\"\nkey_name = \"k1\"\ntransit_mount = \"transit\"\n"
                                + "vault_token_file = \"/etc/floe/kms/token\"")
                .doesNotContain("db-creds")
                .doesNotContain("vault-token");
    }

    @Test
    void cloudProvidersWithASecretReadItsMountedFilesAndWithoutOneTheirSdkChains() {
        var c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        var secret = new KmsCredentials("cloud-creds", null, null, null);
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                new KmsProviders.Aws("alias/x", "eu-west-1", null),
                                null,
                                null,
                                null,
                                secret,
                                null))))
                .contains("aws_region = \"eu-west-1\"\ncredentials_dir = \"/etc/floe/kms\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                null,
                                new KmsProviders.Azure("https://v.vault.azure.net", "k", null),
                                null,
                                secret,
                                null))))
                .contains("key_name = \"k\"\ncredentials_dir = \"/etc/floe/kms\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                new KmsProviders.Gcp("p", "global", "r", "k", null),
                                null,
                                null,
                                secret,
                                null))))
                .contains("crypto_key = \"k\"\ncredentials_file = \"/etc/floe/kms/credentials.json\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                new KmsProviders.Aws("alias/x", "eu-west-1", null),
                                null,
                                null,
                                null,
                                new KmsCredentials(
                                        null,
                                        new KmsCredentials.WorkloadIdentity(java.util.Map.of(
                                                "eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/floe")),
                                        null,
                                        null),
                                null))))
                .doesNotContain("credentials_");
    }

    @Test
    void rendersEveryCloudProviderWithItsDocumentedKeys() {
        var c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                new KmsProviders.Aws("alias/x", "eu-west-1", null),
                                null,
                                null,
                                null,
                                null,
                                null))))
                .contains("provider = \"aws\"\nkey_id = \"alias/x\"\naws_region = \"eu-west-1\"");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                new KmsProviders.Gcp("p", "global", "r", "k", null),
                                null,
                                null,
                                null,
                                null))))
                .contains(
                        "provider = \"gcp\"\nproject_id = \"p\"\nlocation = \"global\"\nkey_ring = \"r\"\ncrypto_key = \"k\"");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                null,
                                new KmsProviders.Azure("https://v.vault.azure.net", "k", null),
                                null,
                                null,
                                null))))
                .contains("provider = \"azure\"\nvault_url = \"https://v.vault.azure.net\"\nkey_name = \"k\"")
                .doesNotContain("\nendpoint = ");
    }

    @Test
    void writesTheEndpointOverrideOfEachCloudProviderOnlyWhenSet() {
        var c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        String vpce = "https://vpce-0123-abcd.kms.eu-west-1.vpce.amazonaws.com";
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                new KmsProviders.Aws("alias/x", "eu-west-1", vpce),
                                null,
                                null,
                                null,
                                null,
                                null))))
                .contains("aws_region = \"eu-west-1\"\nendpoint = \"" + vpce + "\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                new KmsProviders.Gcp("p", "global", "r", "k", "https://cloudkms-floe.p.googleapis.com"),
                                null,
                                null,
                                null,
                                null))))
                .contains("crypto_key = \"k\"\nendpoint = \"https://cloudkms-floe.p.googleapis.com\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                null,
                                null,
                                new KmsProviders.Azure("https://v.vault.azure.net", "k", "https://10.0.0.7"),
                                null,
                                null,
                                null))))
                .contains("key_name = \"k\"\nendpoint = \"https://10.0.0.7\"\n");
        assertThat(CatalogToml.render(
                        c,
                        binding(new KmsBindingSpec(
                                null,
                                new KmsProviders.Aws("alias/x", "eu-west-1", null),
                                null,
                                null,
                                null,
                                null,
                                null))))
                .doesNotContain("\nendpoint = ");
    }

    @Test
    void vaultKubernetesAuthWritesTheMountWhenSetAndNoTokenVariable() {
        var c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        var vault = new KmsProviders.Vault("https://vault:8200", "k1", null);
        String withMount = CatalogToml.render(
                c,
                binding(new KmsBindingSpec(
                        null,
                        null,
                        null,
                        null,
                        vault,
                        new KmsCredentials(null, null, "floe-catalog", "k8s/prod"),
                        null)));
        assertThat(withMount)
                .contains("transit_mount = \"transit\"\nvault_kubernetes_mount = \"k8s/prod\"\n")
                .doesNotContain("vault_token_env")
                .doesNotContain("vault_token_file")
                // the role reaches the catalog as FLOE_KMS_VAULT_KUBERNETES_ROLE, not in the file
                .doesNotContain("vault_kubernetes_role");
        String defaultMount = CatalogToml.render(
                c,
                binding(new KmsBindingSpec(
                        null, null, null, null, vault, new KmsCredentials(null, null, "floe-catalog", null), null)));
        assertThat(defaultMount)
                .contains("transit_mount = \"transit\"\n")
                .doesNotContain("vault_kubernetes_mount")
                .doesNotContain("vault_token_env")
                .doesNotContain("vault_token_file");
    }

    @Test
    void rendersOidcWithJwksUriUnderTheCatalogsAuthKeys() {
        IcebergCatalog c = catalog(new StorageSpec(new EmbeddedStorage(null, null, null), null));
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                c.getSpec().warehouse(),
                null,
                new KmsRef("kms"),
                new AuthSpec(new AuthSpec.OidcSpec(
                        "https://idp.example/realms/data",
                        "floe",
                        "groups",
                        "https://idp.example/realms/data/protocol/openid-connect/certs")),
                null,
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("[auth]\noidc_issuer = \"https://idp.example/realms/data\"\n"
                        + "oidc_audience = \"floe\"\noidc_roles_claim = \"groups\"\n"
                        + "oidc_jwks_uri = \"https://idp.example/realms/data/protocol/openid-connect/certs\"\n");
        // Without jwksUri the catalog's default (<issuer>/.well-known/jwks.json) applies: no key written.
        c.setSpec(new IcebergCatalogSpec(
                null,
                1,
                null,
                c.getSpec().storage(),
                c.getSpec().warehouse(),
                null,
                new KmsRef("kms"),
                new AuthSpec(new AuthSpec.OidcSpec("https://idp.example", "floe", null, null)),
                null,
                null,
                null,
                null,
                null));
        assertThat(CatalogToml.render(c, null))
                .contains("oidc_roles_claim = \"roles\"")
                .doesNotContain("oidc_jwks_uri");
    }

    @Test
    void escapesStrings() {
        assertThat(new Toml().put("t", "k", "a\"b\\c\n").render()).contains("k = \"a\\\"b\\\\c\\n\"");
    }
}
