package dev.floe.operator.api.v1alpha1;

/** Regular expressions for Kubernetes object names and other values, used in the CRD schema. */
public final class Names {
    /** RFC 1123 subdomain: what Kubernetes accepts as the name of most objects. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /**
     * A standard 5-field cron expression (minute hour day-of-month month day-of-week, as the
     * CronJob controller reads it) or one of the macros @yearly, @monthly, @weekly, @daily, @hourly.
     */
    public static final String CRON = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|([0-9*/,?-]+|[0-9*/,?-]*[A-Za-z]{3}[0-9A-Za-z*/,?-]*)(\\s+([0-9*/,?-]+|[0-9*/,?-]*[A-Za-z]{3}[0-9A-Za-z*/,?-]*)){4})$";

    /** An absolute https:// URL with a host and optional path: no spaces, no query or fragment before the path. */
    public static final String HTTPS_URL = "^https://[^\\s/?#]+(/[^\\s]*)?$";

    /** A Vault auth mount path such as {@code kubernetes} or {@code k8s/prod}; the catalog accepts the same characters. */
    public static final String VAULT_MOUNT = "^[A-Za-z0-9_./-]+$";

    private Names() {}
}
