package dev.floe.contract;

/**
 * The catalog configuration keys the operator writes into the catalog's TOML (its ConfigMap). The
 * catalog declares every key it accepts from these names, so a key renamed here changes both sides
 * at once, and one the catalog stopped accepting no longer compiles in the operator.
 */
public final class CatalogConfig {
    public static final ConfigName SERVER_HOST = new ConfigName("server", "host");
    public static final ConfigName SERVER_PORT = new ConfigName("server", "port");
    /**
     * Seconds a stopping catalog keeps answering with {@code Connection: close} before it closes
     * idle keep-alive connections. The operator sets it as an environment variable, which catalog
     * images older than the key ignore (they would reject it as an unknown TOML key).
     */
    public static final ConfigName SERVER_SHUTDOWN_DRAIN_SECONDS = new ConfigName("server", "shutdown_drain_seconds");

    public static final ConfigName STORAGE_URL = new ConfigName("storage", "url");
    /** File holding the PostgreSQL user name (a mounted Secret key). */
    public static final ConfigName STORAGE_USERNAME_FILE = new ConfigName("storage", "username_file");
    /** File holding the PostgreSQL password (a mounted Secret key). */
    public static final ConfigName STORAGE_PASSWORD_FILE = new ConfigName("storage", "password_file");

    public static final ConfigName WAREHOUSE_LOCATION = new ConfigName("warehouse", "location");
    public static final ConfigName WAREHOUSE_S3_ENDPOINT = new ConfigName("warehouse", "s3_endpoint");
    public static final ConfigName WAREHOUSE_S3_REGION = new ConfigName("warehouse", "s3_region");
    public static final ConfigName WAREHOUSE_S3_PATH_STYLE_ACCESS = new ConfigName("warehouse", "s3_path_style_access");
    /** Directory of object-storage credential files named as in {@link CredentialFiles#S3}. */
    public static final ConfigName WAREHOUSE_CREDENTIALS_DIR = new ConfigName("warehouse", "credentials_dir");
    /** Credential vending (S3): the role assumed, the vended credentials' lifetime, the STS endpoint. */
    public static final ConfigName WAREHOUSE_S3_VENDING_ROLE_ARN = new ConfigName("warehouse", "s3_vending_role_arn");

    public static final ConfigName WAREHOUSE_S3_VENDING_LIFETIME_SECONDS =
            new ConfigName("warehouse", "s3_vending_lifetime_seconds");
    public static final ConfigName WAREHOUSE_S3_STS_ENDPOINT = new ConfigName("warehouse", "s3_sts_endpoint");
    /** S3 remote signing: engines that ask for it get their S3 requests signed by the catalog. */
    public static final ConfigName WAREHOUSE_S3_REMOTE_SIGNING = new ConfigName("warehouse", "s3_remote_signing");
    /** abfs(s):// warehouses: the storage account's endpoint URL (emulators, sovereign clouds). */
    public static final ConfigName WAREHOUSE_ADLS_ENDPOINT = new ConfigName("warehouse", "adls_endpoint");
    /** abfs(s):// warehouses: file holding the storage account's shared key (a mounted Secret key). */
    public static final ConfigName WAREHOUSE_ADLS_ACCOUNT_KEY_FILE =
            new ConfigName("warehouse", "adls_account_key_file");
    /** gs:// warehouses: the JSON API endpoint, the project, and whether requests go unauthenticated (emulators). */
    public static final ConfigName WAREHOUSE_GCS_ENDPOINT = new ConfigName("warehouse", "gcs_endpoint");

    public static final ConfigName WAREHOUSE_GCS_PROJECT_ID = new ConfigName("warehouse", "gcs_project_id");
    public static final ConfigName WAREHOUSE_GCS_NO_AUTH = new ConfigName("warehouse", "gcs_no_auth");

    public static final ConfigName KMS_PROVIDER = new ConfigName("kms", "provider");
    public static final ConfigName KMS_KEY_ENV_VAR = new ConfigName("kms", "key_env_var");
    /** local: file holding the base64 master key (a mounted Secret key). */
    public static final ConfigName KMS_KEY_FILE = new ConfigName("kms", "key_file");

    public static final ConfigName KMS_KEY_ID = new ConfigName("kms", "key_id");
    public static final ConfigName KMS_AWS_REGION = new ConfigName("kms", "aws_region");
    public static final ConfigName KMS_ENDPOINT = new ConfigName("kms", "endpoint");
    public static final ConfigName KMS_PROJECT_ID = new ConfigName("kms", "project_id");
    public static final ConfigName KMS_LOCATION = new ConfigName("kms", "location");
    public static final ConfigName KMS_KEY_RING = new ConfigName("kms", "key_ring");
    public static final ConfigName KMS_CRYPTO_KEY = new ConfigName("kms", "crypto_key");
    public static final ConfigName KMS_CREDENTIALS_FILE = new ConfigName("kms", "credentials_file");
    public static final ConfigName KMS_VAULT_URL = new ConfigName("kms", "vault_url");
    public static final ConfigName KMS_KEY_NAME = new ConfigName("kms", "key_name");
    public static final ConfigName KMS_VAULT_ADDR = new ConfigName("kms", "vault_addr");
    public static final ConfigName KMS_TRANSIT_MOUNT = new ConfigName("kms", "transit_mount");
    public static final ConfigName KMS_VAULT_TOKEN_ENV = new ConfigName("kms", "vault_token_env");
    /** vault: file holding the token (a mounted Secret key), re-read at every use. */
    public static final ConfigName KMS_VAULT_TOKEN_FILE = new ConfigName("kms", "vault_token_file");

    public static final ConfigName KMS_VAULT_KUBERNETES_ROLE = new ConfigName("kms", "vault_kubernetes_role");
    public static final ConfigName KMS_VAULT_KUBERNETES_MOUNT = new ConfigName("kms", "vault_kubernetes_mount");
    /** aws/azure: directory of credential files named as in {@link CredentialFiles#AWS} / {@link CredentialFiles#AZURE}. */
    public static final ConfigName KMS_CREDENTIALS_DIR = new ConfigName("kms", "credentials_dir");

    public static final ConfigName AUTH_OIDC_ISSUER = new ConfigName("auth", "oidc_issuer");
    public static final ConfigName AUTH_OIDC_AUDIENCE = new ConfigName("auth", "oidc_audience");
    public static final ConfigName AUTH_OIDC_ROLES_CLAIM = new ConfigName("auth", "oidc_roles_claim");
    public static final ConfigName AUTH_OIDC_JWKS_URI = new ConfigName("auth", "oidc_jwks_uri");

    /** Proxies (IP addresses or CIDR ranges, comma-separated) whose {@code X-Forwarded-For} the catalog believes. */
    public static final ConfigName SECURITY_TRUSTED_PROXIES = new ConfigName("security", "trusted_proxies");

    private CatalogConfig() {}
}
