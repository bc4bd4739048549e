package dev.floe.operator.catalog;

import static dev.floe.contract.CatalogConfig.AUTH_OIDC_AUDIENCE;
import static dev.floe.contract.CatalogConfig.AUTH_OIDC_ISSUER;
import static dev.floe.contract.CatalogConfig.AUTH_OIDC_JWKS_URI;
import static dev.floe.contract.CatalogConfig.AUTH_OIDC_ROLES_CLAIM;
import static dev.floe.contract.CatalogConfig.KMS_AWS_REGION;
import static dev.floe.contract.CatalogConfig.KMS_CREDENTIALS_DIR;
import static dev.floe.contract.CatalogConfig.KMS_CREDENTIALS_FILE;
import static dev.floe.contract.CatalogConfig.KMS_CRYPTO_KEY;
import static dev.floe.contract.CatalogConfig.KMS_ENDPOINT;
import static dev.floe.contract.CatalogConfig.KMS_KEY_ENV_VAR;
import static dev.floe.contract.CatalogConfig.KMS_KEY_FILE;
import static dev.floe.contract.CatalogConfig.KMS_KEY_ID;
import static dev.floe.contract.CatalogConfig.KMS_KEY_NAME;
import static dev.floe.contract.CatalogConfig.KMS_KEY_RING;
import static dev.floe.contract.CatalogConfig.KMS_LOCATION;
import static dev.floe.contract.CatalogConfig.KMS_PROJECT_ID;
import static dev.floe.contract.CatalogConfig.KMS_PROVIDER;
import static dev.floe.contract.CatalogConfig.KMS_TRANSIT_MOUNT;
import static dev.floe.contract.CatalogConfig.KMS_VAULT_ADDR;
import static dev.floe.contract.CatalogConfig.KMS_VAULT_KUBERNETES_MOUNT;
import static dev.floe.contract.CatalogConfig.KMS_VAULT_TOKEN_FILE;
import static dev.floe.contract.CatalogConfig.KMS_VAULT_URL;
import static dev.floe.contract.CatalogConfig.SERVER_HOST;
import static dev.floe.contract.CatalogConfig.SERVER_PORT;
import static dev.floe.contract.CatalogConfig.STORAGE_PASSWORD_FILE;
import static dev.floe.contract.CatalogConfig.STORAGE_URL;
import static dev.floe.contract.CatalogConfig.STORAGE_USERNAME_FILE;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_ADLS_ENDPOINT;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_CREDENTIALS_DIR;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_GCS_ENDPOINT;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_GCS_NO_AUTH;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_GCS_PROJECT_ID;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_LOCATION;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_ENDPOINT;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_PATH_STYLE_ACCESS;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_REGION;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_REMOTE_SIGNING;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_STS_ENDPOINT;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_VENDING_LIFETIME_SECONDS;
import static dev.floe.contract.CatalogConfig.WAREHOUSE_S3_VENDING_ROLE_ARN;

import dev.floe.contract.CatalogPod;
import dev.floe.contract.CredentialFiles;
import dev.floe.operator.api.v1alpha1.AuthSpec;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsCredentials;
import dev.floe.operator.api.v1alpha1.WarehouseSpec;
import dev.floe.operator.kms.KmsCredentialKeys;

/**
 * Renders the catalog's TOML configuration from an IcebergCatalog and its KmsBinding, with the
 * keys of the operator-catalog contract ({@code dev.floe.contract.CatalogConfig}), which the
 * catalog parses from the same names; it rejects unknown keys. TLS files are not in it: the catalog
 * takes them as {@code --tls-cert}/{@code --tls-key} flags, which the Deployment passes. Secrets
 * never appear in it, nor in the pod's environment: each credentials Secret is mounted read-only
 * ({@link DeploymentDependent}) and the TOML names the files ({@code *_file}, {@code credentials_dir}).
 */
public final class CatalogToml {
    /** The local provider's variable when the binding has no Secret (the catalog then fails with a clear message). */
    static final String ENV_LOCAL_KEY = "FLOE_KMS_LOCAL_KEY";

    private CatalogToml() {}

    public static String render(IcebergCatalog catalog, KmsBinding binding) {
        IcebergCatalogSpec spec = catalog.getSpec();
        Toml toml = new Toml();
        toml.put(SERVER_HOST, "0.0.0.0").put(SERVER_PORT, CatalogNames.port(catalog));

        if (spec.storage().usesEmbedded()) {
            // The catalog keeps floe.db in this directory (the PersistentVolumeClaim).
            toml.put(STORAGE_URL, "file://" + CatalogPod.DATA_DIR);
        } else {
            toml.put(STORAGE_URL, spec.storage().postgres().jdbcUrl())
                    .put(STORAGE_USERNAME_FILE, CatalogPod.STORAGE_SECRET_DIR + "/" + CatalogPod.STORAGE_USERNAME)
                    .put(STORAGE_PASSWORD_FILE, CatalogPod.STORAGE_SECRET_DIR + "/" + CatalogPod.STORAGE_PASSWORD);
        }

        WarehouseSpec warehouse = spec.warehouse();
        toml.put(WAREHOUSE_LOCATION, warehouse.location());
        WarehouseSpec.S3Options s3 = warehouse.s3();
        if (s3 != null) {
            // Unset fields are not written (Toml.put skips nulls): the catalog's defaults apply.
            toml.put(WAREHOUSE_S3_ENDPOINT, s3.endpoint())
                    .put(WAREHOUSE_S3_REGION, s3.region())
                    .put(WAREHOUSE_S3_PATH_STYLE_ACCESS, s3.pathStyleAccess())
                    .put(WAREHOUSE_S3_REMOTE_SIGNING, s3.remoteSigning());
            if (s3.vending() != null) {
                toml.put(WAREHOUSE_S3_VENDING_ROLE_ARN, s3.vending().roleArn())
                        .put(WAREHOUSE_S3_VENDING_LIFETIME_SECONDS, s3.vending().lifetimeSeconds())
                        .put(WAREHOUSE_S3_STS_ENDPOINT, s3.vending().stsEndpoint());
            }
        }
        if (warehouse.adls() != null) {
            toml.put(WAREHOUSE_ADLS_ENDPOINT, warehouse.adls().endpoint());
        }
        if (warehouse.gcs() != null) {
            toml.put(WAREHOUSE_GCS_ENDPOINT, warehouse.gcs().endpoint())
                    .put(WAREHOUSE_GCS_PROJECT_ID, warehouse.gcs().projectId())
                    .put(WAREHOUSE_GCS_NO_AUTH, warehouse.gcs().noAuth());
        }
        if (warehouse.credentialsSecret() != null) {
            // Without a Secret nothing is written: the SDKs' default chains (workload identity) apply.
            switch (WarehouseCredentials.store(warehouse)) {
                case ADLS -> toml.put(WAREHOUSE_ADLS_ACCOUNT_KEY_FILE, WarehouseCredentials.ADLS_ACCOUNT_KEY_FILE);
                // GCS: the key file reaches Google's default chain as GOOGLE_APPLICATION_CREDENTIALS (Deployment).
                case GCS -> {}
                case S3, FILE -> toml.put(WAREHOUSE_CREDENTIALS_DIR, CatalogPod.WAREHOUSE_SECRET_DIR);
            }
        }

        if (binding != null && binding.getSpec() != null) {
            kms(toml, binding.getSpec());
        }

        // The bootstrap admin key file is named by FLOE_BOOTSTRAP_ADMIN_KEY_FILE (set on the pod).
        AuthSpec auth = spec.auth();
        if (auth != null && auth.oidc() != null) {
            toml.put(AUTH_OIDC_ISSUER, auth.oidc().issuer())
                    .put(AUTH_OIDC_AUDIENCE, auth.oidc().audience())
                    .put(
                            AUTH_OIDC_ROLES_CLAIM,
                            auth.oidc().rolesClaim() == null
                                    ? "roles"
                                    : auth.oidc().rolesClaim());
            if (auth.oidc().jwksUri() != null) {
                toml.put(AUTH_OIDC_JWKS_URI, auth.oidc().jwksUri());
            }
        }
        return toml.render();
    }

    private static void kms(Toml toml, KmsBindingSpec kms) {
        toml.put(KMS_PROVIDER, kms.provider());
        // The binding's credentials Secret is mounted at CatalogPod.KMS_DIR, one file per key.
        boolean secret = KmsCredentialKeys.secretName(kms) != null;
        // Optional keys (endpoint, vault_kubernetes_mount) are written only when set: Toml.put skips
        // nulls, so the catalog's own defaults apply otherwise.
        if (kms.local() != null) {
            if (secret) {
                toml.put(KMS_KEY_FILE, file(CredentialFiles.LOCAL_MASTER_KEY));
            } else {
                toml.put(KMS_KEY_ENV_VAR, ENV_LOCAL_KEY);
            }
            toml.put(KMS_KEY_ID, kms.local().keyId());
        } else if (kms.aws() != null) {
            toml.put(KMS_KEY_ID, kms.aws().keyId())
                    .put(KMS_AWS_REGION, kms.aws().region())
                    .put(KMS_ENDPOINT, kms.aws().endpoint())
                    // Without a Secret: the SDK's default chain (workload identity).
                    .put(KMS_CREDENTIALS_DIR, secret ? CatalogPod.KMS_DIR : null);
        } else if (kms.gcp() != null) {
            toml.put(KMS_PROJECT_ID, kms.gcp().projectId())
                    .put(KMS_LOCATION, kms.gcp().location())
                    .put(KMS_KEY_RING, kms.gcp().keyRing())
                    .put(KMS_CRYPTO_KEY, kms.gcp().cryptoKey())
                    .put(KMS_ENDPOINT, kms.gcp().endpoint())
                    .put(KMS_CREDENTIALS_FILE, secret ? file(CredentialFiles.GCP_CREDENTIALS) : null);
        } else if (kms.azure() != null) {
            toml.put(KMS_VAULT_URL, kms.azure().vaultUrl())
                    .put(KMS_KEY_NAME, kms.azure().keyName())
                    .put(KMS_ENDPOINT, kms.azure().endpoint())
                    .put(KMS_CREDENTIALS_DIR, secret ? CatalogPod.KMS_DIR : null);
        } else if (kms.vault() != null) {
            toml.put(KMS_VAULT_ADDR, kms.vault().address())
                    .put(KMS_KEY_NAME, kms.vault().keyName())
                    .put(
                            KMS_TRANSIT_MOUNT,
                            kms.vault().transitMount() == null
                                    ? "transit"
                                    : kms.vault().transitMount());
            KmsCredentials credentials = kms.credentials();
            if (credentials != null && credentials.vaultKubernetesRole() != null) {
                // Kubernetes auth: the role arrives as FLOE_KMS_VAULT_KUBERNETES_ROLE (Deployment env) and
                // replaces the token in the catalog, so no token file is written.
                toml.put(KMS_VAULT_KUBERNETES_MOUNT, credentials.vaultKubernetesMount());
            } else if (secret) {
                toml.put(KMS_VAULT_TOKEN_FILE, file(CredentialFiles.VAULT_TOKEN));
            }
        }
    }

    private static String file(String name) {
        return CatalogPod.KMS_DIR + "/" + name;
    }
}
