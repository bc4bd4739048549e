package dev.floe.catalog.config;

import dev.floe.contract.CatalogConfig;
import java.util.List;
import java.util.Optional;

/**
 * Every configuration key the catalog understands, in the order {@code generate-config} prints
 * them. The {@code [kms]} keys are those of the seed product's documented configuration, followed by
 * Floe's own (endpoint override, key files, Vault Kubernetes auth, call guards).
 */
public final class ConfigKeys {

    public static final ConfigKey SERVER_HOST =
            ConfigKey.of(CatalogConfig.SERVER_HOST, "127.0.0.1", "address to listen on (0.0.0.0 for every interface)");
    public static final ConfigKey SERVER_PORT =
            ConfigKey.of(CatalogConfig.SERVER_PORT, "8181", "TCP port of the Iceberg REST API");
    public static final ConfigKey SERVER_MAX_REQUEST_BYTES = ConfigKey.of(
            "server", "max_request_bytes", "10485760", "largest accepted request body in bytes (413 above)");
    public static final ConfigKey SERVER_MANAGEMENT_PORT = ConfigKey.of(
            "server",
            "management_port",
            "",
            "plain-HTTP port for /health/* and /metrics only (unset: both are served on the API port)");
    public static final ConfigKey SERVER_SHUTDOWN_DRAIN_SECONDS = ConfigKey.of(
            CatalogConfig.SERVER_SHUTDOWN_DRAIN_SECONDS,
            "0",
            "on SIGTERM, seconds to keep serving with 'Connection: close' on every response before idle keep-alive"
                    + " connections are closed, so busy clients move to other replicas instead of racing the close"
                    + " (0: close them at once; the operator sets 2 for catalogs with several replicas)");
    public static final ConfigKey STORAGE_URL = ConfigKey.of(
            CatalogConfig.STORAGE_URL,
            "file://./.floe",
            "metadata store: file:///dir (SQLite file in dir), jdbc:postgresql://… or postgresql://…");
    public static final ConfigKey STORAGE_USERNAME_FILE = ConfigKey.of(
            CatalogConfig.STORAGE_USERNAME_FILE,
            "",
            "PostgreSQL: file holding the user name, e.g. a mounted Secret (unset: the URL's, else FLOE_STORAGE_USERNAME)");
    public static final ConfigKey STORAGE_PASSWORD_FILE = ConfigKey.of(
            CatalogConfig.STORAGE_PASSWORD_FILE,
            "",
            "PostgreSQL: file holding the password, e.g. a mounted Secret (unset: the URL's, else FLOE_STORAGE_PASSWORD, for development)");
    public static final ConfigKey WAREHOUSE_NAME = ConfigKey.of(
            "warehouse", "name", "default", "name of the default warehouse; clients see it as the URL prefix");
    public static final ConfigKey WAREHOUSE_LOCATION = ConfigKey.of(
            CatalogConfig.WAREHOUSE_LOCATION,
            "file://./.floe/warehouse",
            "base location of table files: file://, s3://, gs:// or abfss://");
    public static final ConfigKey WAREHOUSE_S3_ENDPOINT = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_ENDPOINT,
            "",
            "s3:// warehouses: S3 API endpoint, an absolute http(s) URL, for S3-compatible stores (unset: AWS S3)");
    public static final ConfigKey WAREHOUSE_S3_REGION = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_REGION,
            "",
            "s3:// warehouses: region (unset: the AWS SDK's AWS_REGION, profile or instance metadata)");
    public static final ConfigKey WAREHOUSE_S3_PATH_STYLE_ACCESS = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_PATH_STYLE_ACCESS,
            "false",
            "s3:// warehouses: address buckets as <endpoint>/<bucket> rather than <bucket>.<endpoint host>",
            List.of("true", "false"));
    public static final ConfigKey WAREHOUSE_CREDENTIALS_DIR = ConfigKey.of(
            CatalogConfig.WAREHOUSE_CREDENTIALS_DIR,
            "",
            "s3:// warehouses: directory with files AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN,"
                    + " e.g. a mounted Secret (unset: the AWS SDK's default chain: environment, profile, instance role)");
    public static final ConfigKey WAREHOUSE_S3_VENDING_ROLE_ARN = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_VENDING_ROLE_ARN,
            "",
            "s3:// warehouses: IAM role assumed (STS AssumeRole) to vend table-scoped credentials to engines that ask"
                    + " for them (unset: no vending)");
    public static final ConfigKey WAREHOUSE_S3_VENDING_LIFETIME_SECONDS = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_VENDING_LIFETIME_SECONDS,
            "3600",
            "s3:// warehouses: lifetime of vended credentials, 900 to 43200 seconds"
                    + " (at most the role's maximum session duration)");
    public static final ConfigKey WAREHOUSE_S3_STS_ENDPOINT = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_STS_ENDPOINT,
            "",
            "s3:// warehouses: STS API endpoint for vending, an absolute http(s) URL (unset: AWS STS of s3_region)");
    public static final ConfigKey WAREHOUSE_S3_REMOTE_SIGNING = ConfigKey.of(
            CatalogConfig.WAREHOUSE_S3_REMOTE_SIGNING,
            "false",
            "s3:// warehouses: sign the S3 requests of engines that ask for remote signing, with the catalog's own"
                    + " credentials, for one table's files at the caller's access level",
            List.of("true", "false"));
    public static final ConfigKey WAREHOUSE_ADLS_ENDPOINT = ConfigKey.of(
            CatalogConfig.WAREHOUSE_ADLS_ENDPOINT,
            "",
            "abfs(s):// warehouses: the account's endpoint, an absolute http(s) URL (unset: https://<account host of the location>)");
    public static final ConfigKey WAREHOUSE_ADLS_ACCOUNT_KEY_FILE = ConfigKey.of(
            CatalogConfig.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE,
            "",
            "abfs(s):// warehouses: file holding the storage account's shared key, e.g. a mounted Secret"
                    + " (unset: Azure's default credential chain)");
    public static final ConfigKey WAREHOUSE_GCS_ENDPOINT = ConfigKey.of(
            CatalogConfig.WAREHOUSE_GCS_ENDPOINT,
            "",
            "gs:// warehouses: Cloud Storage JSON API endpoint, an absolute http(s) URL (unset: Google's)");
    public static final ConfigKey WAREHOUSE_GCS_PROJECT_ID = ConfigKey.of(
            CatalogConfig.WAREHOUSE_GCS_PROJECT_ID,
            "",
            "gs:// warehouses: Google Cloud project (unset: the one of the application default credentials)");
    public static final ConfigKey WAREHOUSE_GCS_NO_AUTH = ConfigKey.of(
            CatalogConfig.WAREHOUSE_GCS_NO_AUTH,
            "false",
            "gs:// warehouses: send unauthenticated requests (emulators only)",
            List.of("true", "false"));
    public static final ConfigKey WAREHOUSE_TABLE_LOCATIONS = new ConfigKey(
            "warehouse",
            "table_locations",
            "namespace",
            "where a table or view may be placed: under its namespace's location, or anywhere inside the warehouse"
                    + " location (never outside it, never over another table, view or namespace)",
            List.of("namespace", "warehouse"));

    public static final ConfigKey KMS_PROVIDER = ConfigKey.of(
            CatalogConfig.KMS_PROVIDER,
            "local",
            "key provider wrapping the data keys (env is the seed product's name for local)",
            List.of("local", "env", "aws", "gcp", "azure", "vault"));
    public static final ConfigKey KMS_KEY_ENV_VAR = ConfigKey.of(
            CatalogConfig.KMS_KEY_ENV_VAR,
            "FLOE_MASTER_KEY",
            "local: environment variable holding the base64 256-bit master key");
    public static final ConfigKey KMS_KEY_ID = ConfigKey.of(
            CatalogConfig.KMS_KEY_ID,
            "",
            "aws: KMS key id, ARN or alias; local: master key id recorded with the data keys (default env:<key_env_var>)");
    public static final ConfigKey KMS_AWS_REGION =
            ConfigKey.of(CatalogConfig.KMS_AWS_REGION, "", "aws: region of the key");
    public static final ConfigKey KMS_VAULT_ADDR =
            ConfigKey.of(CatalogConfig.KMS_VAULT_ADDR, "", "vault: server address");
    public static final ConfigKey KMS_VAULT_TOKEN_ENV = ConfigKey.of(
            CatalogConfig.KMS_VAULT_TOKEN_ENV, "VAULT_TOKEN", "vault: environment variable holding the token");
    public static final ConfigKey KMS_KEY_NAME = ConfigKey.of(CatalogConfig.KMS_KEY_NAME, "", "vault/azure: key name");
    public static final ConfigKey KMS_TRANSIT_MOUNT =
            ConfigKey.of(CatalogConfig.KMS_TRANSIT_MOUNT, "transit", "vault: Transit secrets engine mount");
    public static final ConfigKey KMS_PROJECT_ID = ConfigKey.of(CatalogConfig.KMS_PROJECT_ID, "", "gcp: project id");
    public static final ConfigKey KMS_LOCATION = ConfigKey.of(CatalogConfig.KMS_LOCATION, "", "gcp: key ring location");
    public static final ConfigKey KMS_KEY_RING = ConfigKey.of(CatalogConfig.KMS_KEY_RING, "", "gcp: key ring");
    public static final ConfigKey KMS_CRYPTO_KEY = ConfigKey.of(CatalogConfig.KMS_CRYPTO_KEY, "", "gcp: crypto key");
    public static final ConfigKey KMS_VAULT_URL = ConfigKey.of(CatalogConfig.KMS_VAULT_URL, "", "azure: Key Vault URL");
    public static final ConfigKey KMS_ENDPOINT = ConfigKey.of(
            CatalogConfig.KMS_ENDPOINT,
            "",
            "aws/gcp/azure: KMS API endpoint override, an absolute http(s) URL (private endpoints, emulators)");
    public static final ConfigKey KMS_KEY_RING_FILE = ConfigKey.of(
            "kms",
            "key_ring_file",
            "",
            "local: key-ring file with one <version>:<base64 key> line per version, last line current (instead of key_env_var)");
    public static final ConfigKey KMS_KEY_FILE = ConfigKey.of(
            CatalogConfig.KMS_KEY_FILE,
            "",
            "local: file holding the base64 256-bit master key, e.g. a mounted Secret (instead of key_env_var; default key_id file:<name>)");
    public static final ConfigKey KMS_VAULT_TOKEN_FILE = ConfigKey.of(
            CatalogConfig.KMS_VAULT_TOKEN_FILE,
            "",
            "vault: file holding the token, re-read at every login, e.g. a mounted Secret (instead of vault_token_env)");
    public static final ConfigKey KMS_CREDENTIALS_DIR = ConfigKey.of(
            CatalogConfig.KMS_CREDENTIALS_DIR,
            "",
            "aws: directory with files AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and optionally AWS_SESSION_TOKEN);"
                    + " azure: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET; e.g. a mounted Secret"
                    + " (unset: the SDK's default chain: environment, workload identity, instance role)");
    public static final ConfigKey KMS_CREDENTIALS_FILE = ConfigKey.of(
            CatalogConfig.KMS_CREDENTIALS_FILE,
            "",
            "gcp: service-account key file (default: Application Default Credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS)");
    public static final ConfigKey KMS_VAULT_KUBERNETES_ROLE = ConfigKey.of(
            CatalogConfig.KMS_VAULT_KUBERNETES_ROLE,
            "",
            "vault: role of Vault's Kubernetes auth method; when set, the service-account token replaces vault_token_env");
    public static final ConfigKey KMS_VAULT_KUBERNETES_TOKEN_FILE = ConfigKey.of(
            "kms",
            "vault_kubernetes_token_file",
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            "vault: service-account token (JWT) file sent to the Kubernetes auth login");
    public static final ConfigKey KMS_VAULT_KUBERNETES_MOUNT = ConfigKey.of(
            CatalogConfig.KMS_VAULT_KUBERNETES_MOUNT, "kubernetes", "vault: mount path of the Kubernetes auth method");
    public static final ConfigKey KMS_TIMEOUT_SECONDS =
            ConfigKey.of("kms", "timeout_seconds", "5", "every KMS call: longest one attempt may take, in seconds");
    public static final ConfigKey KMS_MAX_ATTEMPTS = ConfigKey.of(
            "kms",
            "max_attempts",
            "3",
            "every KMS call: attempts including the first (1 = no retry); only transient failures are retried");
    public static final ConfigKey KMS_BACKOFF_SECONDS = ConfigKey.of(
            "kms",
            "backoff_seconds",
            "0.2",
            "every KMS call: wait before the first retry, doubled for each further one");
    public static final ConfigKey KMS_BACKOFF_MAX_SECONDS =
            ConfigKey.of("kms", "backoff_max_seconds", "2", "every KMS call: cap for the wait between retries");
    public static final ConfigKey KMS_BREAKER_THRESHOLD =
            ConfigKey.of("kms", "breaker_threshold", "5", "circuit breaker: consecutive failed calls that open it");
    public static final ConfigKey KMS_BREAKER_OPEN_SECONDS = ConfigKey.of(
            "kms",
            "breaker_open_seconds",
            "30",
            "circuit breaker: seconds it rejects calls (503 with Retry-After) before letting a trial call through");

    public static final ConfigKey TLS_CERT =
            ConfigKey.of("tls", "cert", "", "PEM certificate chain for HTTPS (hot reloaded)");
    public static final ConfigKey TLS_KEY =
            ConfigKey.of("tls", "key", "", "PEM private key for HTTPS (PKCS#8 or PKCS#1)");
    public static final ConfigKey TLS_CLIENT_CA =
            ConfigKey.of("tls", "client_ca", "", "PEM CA bundle: require client certificates (mTLS)");
    public static final ConfigKey AUTH_OIDC_ISSUER =
            ConfigKey.of(CatalogConfig.AUTH_OIDC_ISSUER, "", "OIDC issuer (iss) whose JWTs are accepted");
    public static final ConfigKey AUTH_OIDC_AUDIENCE =
            ConfigKey.of(CatalogConfig.AUTH_OIDC_AUDIENCE, "", "expected OIDC audience (aud)");
    public static final ConfigKey AUTH_OIDC_ROLES_CLAIM =
            ConfigKey.of(CatalogConfig.AUTH_OIDC_ROLES_CLAIM, "roles", "claim holding the roles");
    public static final ConfigKey AUTH_OIDC_JWKS_URI = ConfigKey.of(
            CatalogConfig.AUTH_OIDC_JWKS_URI,
            "",
            "issuer JWKS URL (default: jwks_uri of <issuer>/.well-known/openid-configuration)");
    public static final ConfigKey SECURITY_TRUSTED_PROXIES = ConfigKey.of(
            CatalogConfig.SECURITY_TRUSTED_PROXIES,
            "",
            "proxies whose X-Forwarded-For gives the client address, comma-separated IP addresses or CIDR ranges"
                    + " (e.g. \"10.0.0.0/8, 192.168.1.10\"; unset: the header is ignored)");

    /** All keys; named warehouses ({@code [warehouses.NAME] location}) are handled beside them. */
    public static final List<ConfigKey> ALL = List.of(
            SERVER_HOST,
            SERVER_PORT,
            SERVER_MAX_REQUEST_BYTES,
            SERVER_MANAGEMENT_PORT,
            SERVER_SHUTDOWN_DRAIN_SECONDS,
            STORAGE_URL,
            STORAGE_USERNAME_FILE,
            STORAGE_PASSWORD_FILE,
            WAREHOUSE_NAME,
            WAREHOUSE_LOCATION,
            WAREHOUSE_S3_ENDPOINT,
            WAREHOUSE_S3_REGION,
            WAREHOUSE_S3_PATH_STYLE_ACCESS,
            WAREHOUSE_CREDENTIALS_DIR,
            WAREHOUSE_S3_VENDING_ROLE_ARN,
            WAREHOUSE_S3_VENDING_LIFETIME_SECONDS,
            WAREHOUSE_S3_STS_ENDPOINT,
            WAREHOUSE_S3_REMOTE_SIGNING,
            WAREHOUSE_ADLS_ENDPOINT,
            WAREHOUSE_ADLS_ACCOUNT_KEY_FILE,
            WAREHOUSE_GCS_ENDPOINT,
            WAREHOUSE_GCS_PROJECT_ID,
            WAREHOUSE_GCS_NO_AUTH,
            WAREHOUSE_TABLE_LOCATIONS,
            KMS_PROVIDER,
            KMS_KEY_ENV_VAR,
            KMS_KEY_ID,
            KMS_AWS_REGION,
            KMS_VAULT_ADDR,
            KMS_VAULT_TOKEN_ENV,
            KMS_KEY_NAME,
            KMS_TRANSIT_MOUNT,
            KMS_PROJECT_ID,
            KMS_LOCATION,
            KMS_KEY_RING,
            KMS_CRYPTO_KEY,
            KMS_VAULT_URL,
            KMS_ENDPOINT,
            KMS_KEY_RING_FILE,
            KMS_KEY_FILE,
            KMS_VAULT_TOKEN_FILE,
            KMS_CREDENTIALS_DIR,
            KMS_CREDENTIALS_FILE,
            KMS_VAULT_KUBERNETES_ROLE,
            KMS_VAULT_KUBERNETES_TOKEN_FILE,
            KMS_VAULT_KUBERNETES_MOUNT,
            KMS_TIMEOUT_SECONDS,
            KMS_MAX_ATTEMPTS,
            KMS_BACKOFF_SECONDS,
            KMS_BACKOFF_MAX_SECONDS,
            KMS_BREAKER_THRESHOLD,
            KMS_BREAKER_OPEN_SECONDS,
            TLS_CERT,
            TLS_KEY,
            TLS_CLIENT_CA,
            AUTH_OIDC_ISSUER,
            AUTH_OIDC_AUDIENCE,
            AUTH_OIDC_ROLES_CLAIM,
            AUTH_OIDC_JWKS_URI,
            SECURITY_TRUSTED_PROXIES);

    private ConfigKeys() {}

    public static Optional<ConfigKey> find(String section, String name) {
        return ALL.stream()
                .filter(k -> k.section().equals(section) && k.name().equals(name))
                .findFirst();
    }
}
