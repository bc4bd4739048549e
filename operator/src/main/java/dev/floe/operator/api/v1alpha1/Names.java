package dev.floe.operator.api.v1alpha1;

/** Regular expressions for Kubernetes object names, used in the CRD schema. */
public final class Names {
    /** RFC 1123 subdomain: what Kubernetes accepts as the name of most objects. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /**
     * A standard 5-field cron expression (minute hour day-of-month month day-of-week, as the
     * CronJob controller reads it) or one of the macros @yearly, @monthly, @weekly, @daily, @hourly.
     */
    public static final String CRON = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
            + "|([0-9*/,?-]+|[0-9*/,?-]*[A-Za-z]{3}[0-9A-Za-z*/,?-]*)(\\s+([0-9*/,?-]+|[0-9*/,?-]*[A-Za-z]{3}[0-9A-Za-z*/,?-]*)){4})$";

    private Names() {
    }
}
