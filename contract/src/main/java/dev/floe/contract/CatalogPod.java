package dev.floe.contract;

/**
 * How a catalog pod made by the operator is laid out: where each volume is mounted, the file names
 * inside them, the environment variables the catalog reads, and the command-line words. Every
 * Secret reaches the pod as a read-only file under {@link #SECRETS_DIR} or one of the directories
 * below; no Secret value is put in an environment variable.
 */
public final class CatalogPod {
    public static final String CONFIG_DIR = "/etc/floe/config";
    public static final String CONFIG_FILE = "floe.toml";
    public static final String TLS_DIR = "/etc/floe/tls";
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String TLS_CA = "ca.crt";
    public static final String ADMIN_DIR = "/etc/floe/admin";
    public static final String ADMIN_KEY = "admin-key";
    /** The KMS binding's credentials Secret (its keys as files). */
    public static final String KMS_DIR = "/etc/floe/kms";
    /** Parent of the other mounted Secrets. */
    public static final String SECRETS_DIR = "/etc/floe/secrets";
    /** PostgreSQL credentials Secret: files {@link #STORAGE_USERNAME} and {@link #STORAGE_PASSWORD}. */
    public static final String STORAGE_SECRET_DIR = SECRETS_DIR + "/storage";

    public static final String STORAGE_USERNAME = "username";
    public static final String STORAGE_PASSWORD = "password";
    /** Object-storage credentials Secret (files named as in {@link CredentialFiles#S3}). */
    public static final String WAREHOUSE_SECRET_DIR = SECRETS_DIR + "/warehouse";
    /** Embedded storage: the data volume. */
    public static final String DATA_DIR = "/var/lib/floe";

    /** The bootstrap admin key file (not the key). */
    public static final String ENV_BOOTSTRAP_ADMIN_KEY_FILE = "FLOE_BOOTSTRAP_ADMIN_KEY_FILE";
    /** Rotation Jobs: {@code true} or {@code false}, whether rotation also re-encrypts values. */
    public static final String ENV_ROTATE_REENCRYPT = "FLOE_ROTATE_REENCRYPT";
    /** GCP client libraries' service-account key file (a path, read by Application Default Credentials). */
    public static final String ENV_GOOGLE_APPLICATION_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";

    private CatalogPod() {}
}
