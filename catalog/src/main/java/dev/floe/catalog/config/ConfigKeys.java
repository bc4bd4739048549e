package dev.floe.catalog.config;

import java.util.List;
import java.util.Optional;

/**
 * Every configuration key the catalog understands, in the order {@code generate-config} prints
 * them. The {@code [kms]} keys are those of the seed product's documented configuration, followed by
 * Floe's own (endpoint override, key files, Vault Kubernetes auth, call guards).
 */
public final class ConfigKeys {

    public static final ConfigKey SERVER_HOST =
            ConfigKey.of("server", "host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)");
    public static final ConfigKey SERVER_PORT =
            ConfigKey.of("server", "port", "8181", "TCP port of the Iceberg REST API");
    public static final ConfigKey SERVER_MAX_REQUEST_BYTES = ConfigKey.of(
            "server", "max_request_bytes", "10485760", "largest accepted request body in bytes (413 above)");
    public static final ConfigKey SERVER_MANAGEMENT_PORT = ConfigKey.of("server", "management_port", "",
            "plain-HTTP port for /health/* and /metrics only (unset: both are served on the API port)");
    public static final ConfigKey STORAGE_URL = ConfigKey.of("storage", "url", "file://./.floe",
            "metadata store: file:///dir (SQLite file in dir), jdbc:postgresql://… or postgresql://…");
    public static final ConfigKey WAREHOUSE_NAME = ConfigKey.of("warehouse", "name", "default",
            "name of the default warehouse; clients see it as the URL prefix");
    public static final ConfigKey WAREHOUSE_LOCATION = ConfigKey.of("warehouse", "location", "file://./.floe/warehouse",
            "base location of table files: file://, s3://, gs:// or abfss://");
    public static final ConfigKey WAREHOUSE_S3_ENDPOINT = ConfigKey.of("warehouse", "s3_endpoint", "",
            "s3:// warehouses: S3 API endpoint, an absolute http(s) URL, for S3-compatible stores (unset: AWS S3)");
    public static final ConfigKey WAREHOUSE_S3_REGION = ConfigKey.of("warehouse", "s3_region", "",
            "s3:// warehouses: region (unset: the AWS SDK's AWS_REGION, profile or instance metadata)");
    public static final ConfigKey WAREHOUSE_S3_PATH_STYLE_ACCESS = new ConfigKey("warehouse", "s3_path_style_access", "false",
            "s3:// warehouses: address buckets as <endpoint>/<bucket> rather than <bucket>.<endpoint host>",
            List.of("true", "false"));
    public static final ConfigKey WAREHOUSE_S3_VENDING_ROLE_ARN = ConfigKey.of("warehouse", "s3_vending_role_arn", "",
            "s3:// warehouses: IAM role assumed (STS AssumeRole) to vend table-scoped credentials to engines that ask"
                    + " for them (unset: no vending)");
    public static final ConfigKey WAREHOUSE_S3_VENDING_LIFETIME_SECONDS = ConfigKey.of("warehouse",
            "s3_vending_lifetime_seconds", "3600", "s3:// warehouses: lifetime of vended credentials, 900 to 43200 seconds"
                    + " (at most the role's maximum session duration)");
    public static final ConfigKey WAREHOUSE_S3_STS_ENDPOINT = ConfigKey.of("warehouse", "s3_sts_endpoint", "",
            "s3:// warehouses: STS API endpoint for vending, an absolute http(s) URL (unset: AWS STS of s3_region)");
    public static final ConfigKey WAREHOUSE_TABLE_LOCATIONS = new ConfigKey("warehouse", "table_locations", "namespace",
            "where a table or view may be placed: under its namespace's location, or anywhere inside the warehouse"
                    + " location (never outside it, never over another table, view or namespace)",
            List.of("namespace", "warehouse"));

    public static final ConfigKey KMS_PROVIDER = new ConfigKey("kms", "provider", "local",
            "key provider wrapping the data keys (env is the seed product's name for local)",
            List.of("local", "env", "aws", "gcp", "azure", "vault"));
    public static final ConfigKey KMS_KEY_ENV_VAR = ConfigKey.of("kms", "key_env_var", "FLOE_MASTER_KEY",
            "local: environment variable holding the base64 256-bit master key");
    public static final ConfigKey KMS_KEY_ID = ConfigKey.of("kms", "key_id", "",
            "aws: KMS key id, ARN or alias; local: master key id recorded with the data keys (default env:<key_env_var>)");
    public static final ConfigKey KMS_AWS_REGION = ConfigKey.of("kms", "aws_region", "", "aws: region of the key");
    public static final ConfigKey KMS_VAULT_ADDR = ConfigKey.of("kms", "vault_addr", "", "vault: server address");
    public static final ConfigKey KMS_VAULT_TOKEN_ENV = ConfigKey.of("kms", "vault_token_env", "VAULT_TOKEN",
            "vault: environment variable holding the token");
    public static final ConfigKey KMS_KEY_NAME = ConfigKey.of("kms", "key_name", "", "vault/azure: key name");
    public static final ConfigKey KMS_TRANSIT_MOUNT = ConfigKey.of("kms", "transit_mount", "transit",
            "vault: Transit secrets engine mount");
    public static final ConfigKey KMS_PROJECT_ID = ConfigKey.of("kms", "project_id", "", "gcp: project id");
    public static final ConfigKey KMS_LOCATION = ConfigKey.of("kms", "location", "", "gcp: key ring location");
    public static final ConfigKey KMS_KEY_RING = ConfigKey.of("kms", "key_ring", "", "gcp: key ring");
    public static final ConfigKey KMS_CRYPTO_KEY = ConfigKey.of("kms", "crypto_key", "", "gcp: crypto key");
    public static final ConfigKey KMS_VAULT_URL = ConfigKey.of("kms", "vault_url", "", "azure: Key Vault URL");
    public static final ConfigKey KMS_ENDPOINT = ConfigKey.of("kms", "endpoint", "",
            "aws/gcp/azure: KMS API endpoint override, an absolute http(s) URL (private endpoints, emulators)");
    public static final ConfigKey KMS_KEY_RING_FILE = ConfigKey.of("kms", "key_ring_file", "",
            "local: key-ring file with one <version>:<base64 key> line per version, last line current (instead of key_env_var)");
    public static final ConfigKey KMS_CREDENTIALS_FILE = ConfigKey.of("kms", "credentials_file", "",
            "gcp: service-account key file (default: Application Default Credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS)");
    public static final ConfigKey KMS_VAULT_KUBERNETES_ROLE = ConfigKey.of("kms", "vault_kubernetes_role", "",
            "vault: role of Vault's Kubernetes auth method; when set, the service-account token replaces vault_token_env");
    public static final ConfigKey KMS_VAULT_KUBERNETES_TOKEN_FILE = ConfigKey.of("kms", "vault_kubernetes_token_file",
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            "vault: service-account token (JWT) file sent to the Kubernetes auth login");
    public static final ConfigKey KMS_VAULT_KUBERNETES_MOUNT = ConfigKey.of("kms", "vault_kubernetes_mount", "kubernetes",
            "vault: mount path of the Kubernetes auth method");
    public static final ConfigKey KMS_TIMEOUT_SECONDS = ConfigKey.of("kms", "timeout_seconds", "5",
            "every KMS call: longest one attempt may take, in seconds");
    public static final ConfigKey KMS_MAX_ATTEMPTS = ConfigKey.of("kms", "max_attempts", "3",
            "every KMS call: attempts including the first (1 = no retry); only transient failures are retried");
    public static final ConfigKey KMS_BACKOFF_SECONDS = ConfigKey.of("kms", "backoff_seconds", "0.2",
            "every KMS call: wait before the first retry, doubled for each further one");
    public static final ConfigKey KMS_BACKOFF_MAX_SECONDS = ConfigKey.of("kms", "backoff_max_seconds", "2",
            "every KMS call: cap for the wait between retries");
    public static final ConfigKey KMS_BREAKER_THRESHOLD = ConfigKey.of("kms", "breaker_threshold", "5",
            "circuit breaker: consecutive failed calls that open it");
    public static final ConfigKey KMS_BREAKER_OPEN_SECONDS = ConfigKey.of("kms", "breaker_open_seconds", "30",
            "circuit breaker: seconds it rejects calls (503 with Retry-After) before letting a trial call through");

    public static final ConfigKey TLS_CERT = ConfigKey.of("tls", "cert", "", "PEM certificate chain for HTTPS (hot reloaded)");
    public static final ConfigKey TLS_KEY = ConfigKey.of("tls", "key", "", "PEM private key for HTTPS (PKCS#8 or PKCS#1)");
    public static final ConfigKey TLS_CLIENT_CA = ConfigKey.of("tls", "client_ca", "", "PEM CA bundle: require client certificates (mTLS)");
    public static final ConfigKey AUTH_OIDC_ISSUER = ConfigKey.of("auth", "oidc_issuer", "", "OIDC issuer (iss) whose JWTs are accepted");
    public static final ConfigKey AUTH_OIDC_AUDIENCE = ConfigKey.of("auth", "oidc_audience", "", "expected OIDC audience (aud)");
    public static final ConfigKey AUTH_OIDC_ROLES_CLAIM = ConfigKey.of("auth", "oidc_roles_claim", "roles", "claim holding the roles");
    public static final ConfigKey AUTH_OIDC_JWKS_URI = ConfigKey.of("auth", "oidc_jwks_uri", "", "issuer JWKS URL (default: jwks_uri of <issuer>/.well-known/openid-configuration)");

    /** All keys; named warehouses ({@code [warehouses.NAME] location}) are handled beside them. */
    public static final List<ConfigKey> ALL = List.of(
            SERVER_HOST, SERVER_PORT, SERVER_MAX_REQUEST_BYTES, SERVER_MANAGEMENT_PORT, STORAGE_URL, WAREHOUSE_NAME, WAREHOUSE_LOCATION,
            WAREHOUSE_S3_ENDPOINT, WAREHOUSE_S3_REGION, WAREHOUSE_S3_PATH_STYLE_ACCESS, WAREHOUSE_S3_VENDING_ROLE_ARN,
            WAREHOUSE_S3_VENDING_LIFETIME_SECONDS, WAREHOUSE_S3_STS_ENDPOINT, WAREHOUSE_TABLE_LOCATIONS,
            KMS_PROVIDER, KMS_KEY_ENV_VAR, KMS_KEY_ID, KMS_AWS_REGION, KMS_VAULT_ADDR, KMS_VAULT_TOKEN_ENV,
            KMS_KEY_NAME, KMS_TRANSIT_MOUNT, KMS_PROJECT_ID, KMS_LOCATION, KMS_KEY_RING, KMS_CRYPTO_KEY,
            KMS_VAULT_URL, KMS_ENDPOINT, KMS_KEY_RING_FILE, KMS_CREDENTIALS_FILE, KMS_VAULT_KUBERNETES_ROLE,
            KMS_VAULT_KUBERNETES_TOKEN_FILE, KMS_VAULT_KUBERNETES_MOUNT, KMS_TIMEOUT_SECONDS, KMS_MAX_ATTEMPTS,
            KMS_BACKOFF_SECONDS, KMS_BACKOFF_MAX_SECONDS, KMS_BREAKER_THRESHOLD, KMS_BREAKER_OPEN_SECONDS, TLS_CERT, TLS_KEY, TLS_CLIENT_CA, AUTH_OIDC_ISSUER, AUTH_OIDC_AUDIENCE,
            AUTH_OIDC_ROLES_CLAIM, AUTH_OIDC_JWKS_URI);

    private ConfigKeys() {}

    public static Optional<ConfigKey> find(String section, String name) {
        return ALL.stream().filter(k -> k.section().equals(section) && k.name().equals(name)).findFirst();
    }
}
