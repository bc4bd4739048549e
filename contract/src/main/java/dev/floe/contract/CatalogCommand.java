package dev.floe.contract;

/**
 * The words of the {@code floe} command line that the operator's pods run: the catalog
 * ({@code floe serve --config … --tls-cert … --tls-key …}) and the rotation Jobs
 * ({@code floe admin rotate-keys --endpoint … --api-key-file … --ca …}). The catalog's picocli
 * annotations use the same constants.
 */
public final class CatalogCommand {
    public static final String SERVE = "serve";
    public static final String CONFIG = "--config";
    public static final String TLS_CERT = "--tls-cert";
    public static final String TLS_KEY = "--tls-key";

    public static final String ADMIN = "admin";
    public static final String ROTATE_KEYS = "rotate-keys";
    public static final String ENDPOINT = "--endpoint";
    public static final String API_KEY_FILE = "--api-key-file";
    public static final String CA = "--ca";

    private CatalogCommand() {}
}
