package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.AuthSpec;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsCredentials;
import dev.floe.operator.api.v1alpha1.WarehouseSpec;

/**
 * Renders the catalog's TOML configuration from an IcebergCatalog and its KmsBinding, using the
 * keys the catalog documents ([server], [storage], [warehouse], [kms]; [auth] only with OIDC) and
 * no others, because the catalog rejects unknown keys. TLS files are not in it: the catalog takes
 * them as {@code --tls-cert}/{@code --tls-key} flags, which the Deployment passes. Secrets never appear in it: credentials reach
 * the pod as environment variables or mounted files.
 */
public final class CatalogToml {
    /** Environment variables the catalog reads credentials from (set by the Deployment). */
    public static final String ENV_LOCAL_KEY = "FLOE_KMS_LOCAL_KEY";
    public static final String ENV_VAULT_TOKEN = "VAULT_TOKEN";
    public static final String ENV_STORAGE_USER = "FLOE_STORAGE_USERNAME";
    public static final String ENV_STORAGE_PASSWORD = "FLOE_STORAGE_PASSWORD";

    private CatalogToml() {
    }

    public static String render(IcebergCatalog catalog, KmsBinding binding) {
        IcebergCatalogSpec spec = catalog.getSpec();
        Toml toml = new Toml();
        toml.put("server", "host", "0.0.0.0").put("server", "port", CatalogNames.port(catalog));

        if (spec.storage().usesEmbedded()) {
            // The catalog keeps floe.db in this directory (the PersistentVolumeClaim).
            toml.put("storage", "url", "file://" + CatalogNames.DATA_DIR);
        } else {
            // Credentials are not in the file: the Deployment sets FLOE_STORAGE_USERNAME/PASSWORD.
            toml.put("storage", "url", spec.storage().postgres().jdbcUrl());
        }

        WarehouseSpec warehouse = spec.warehouse();
        toml.put("warehouse", "location", warehouse.location());
        WarehouseSpec.S3Options s3 = warehouse.s3();
        if (s3 != null) {
            // Unset fields are not written (Toml.put skips nulls): the catalog's defaults apply.
            toml.put("warehouse", "s3_endpoint", s3.endpoint())
                    .put("warehouse", "s3_region", s3.region())
                    .put("warehouse", "s3_path_style_access", s3.pathStyleAccess());
            if (s3.vending() != null) {
                toml.put("warehouse", "s3_vending_role_arn", s3.vending().roleArn())
                        .put("warehouse", "s3_vending_lifetime_seconds", s3.vending().lifetimeSeconds())
                        .put("warehouse", "s3_sts_endpoint", s3.vending().stsEndpoint());
            }
        }

        if (binding != null && binding.getSpec() != null) {
            kms(toml, binding.getSpec());
        }

        // The bootstrap admin key file is named by FLOE_BOOTSTRAP_ADMIN_KEY_FILE (set on the pod).
        AuthSpec auth = spec.auth();
        if (auth != null && auth.oidc() != null) {
            toml.put("auth", "oidc_issuer", auth.oidc().issuer())
                    .put("auth", "oidc_audience", auth.oidc().audience())
                    .put("auth", "oidc_roles_claim", auth.oidc().rolesClaim() == null ? "roles" : auth.oidc().rolesClaim());
            if (auth.oidc().jwksUri() != null) {
                toml.put("auth", "oidc_jwks_uri", auth.oidc().jwksUri());
            }
        }
        return toml.render();
    }

    private static void kms(Toml toml, KmsBindingSpec kms) {
        toml.put("kms", "provider", kms.provider());
        // Optional keys (endpoint, vault_kubernetes_mount) are written only when set: Toml.put skips
        // nulls, so the catalog's own defaults apply otherwise.
        if (kms.local() != null) {
            toml.put("kms", "key_env_var", ENV_LOCAL_KEY).put("kms", "key_id", kms.local().keyId());
        } else if (kms.aws() != null) {
            toml.put("kms", "key_id", kms.aws().keyId()).put("kms", "aws_region", kms.aws().region())
                    .put("kms", "endpoint", kms.aws().endpoint());
        } else if (kms.gcp() != null) {
            toml.put("kms", "project_id", kms.gcp().projectId())
                    .put("kms", "location", kms.gcp().location())
                    .put("kms", "key_ring", kms.gcp().keyRing())
                    .put("kms", "crypto_key", kms.gcp().cryptoKey())
                    .put("kms", "endpoint", kms.gcp().endpoint());
        } else if (kms.azure() != null) {
            toml.put("kms", "vault_url", kms.azure().vaultUrl()).put("kms", "key_name", kms.azure().keyName())
                    .put("kms", "endpoint", kms.azure().endpoint());
        } else if (kms.vault() != null) {
            toml.put("kms", "vault_addr", kms.vault().address())
                    .put("kms", "key_name", kms.vault().keyName())
                    .put("kms", "transit_mount", kms.vault().transitMount() == null ? "transit" : kms.vault().transitMount());
            KmsCredentials credentials = kms.credentials();
            if (credentials != null && credentials.vaultKubernetesRole() != null) {
                // Kubernetes auth: the role arrives as FLOE_KMS_VAULT_KUBERNETES_ROLE (Deployment env) and
                // replaces the token in the catalog, so no vault_token_env is written.
                toml.put("kms", "vault_kubernetes_mount", credentials.vaultKubernetesMount());
            } else {
                toml.put("kms", "vault_token_env", ENV_VAULT_TOKEN);
            }
        }
    }
}
