package dev.floe.catalog.security;

import dev.floe.catalog.tls.TlsServerProperties;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secure-by-default decision {@code floe serve} takes before starting: TLS is required unless
 * {@code --insecure-http} (warned about on every start) or {@code --dev}; authentication is always
 * on; {@code --dev} creates (once) and prints a development admin key. Returns the Micronaut
 * properties to start the server with.
 */
public final class SecurityStartup {

    /**
     * What to start with.
     *
     * @param properties   Micronaut properties (TLS listener, bootstrap key file)
     * @param warnings     lines to print on every start
     * @param devAdminKey  the development admin key to print once per start in --dev mode
     * @param tls          whether the listener is HTTPS
     */
    public record Plan(
            Map<String, Object> properties, List<String> warnings, Optional<String> devAdminKey, boolean tls) {
        @Override
        public String toString() {
            return "Plan[tls=" + tls + ", warnings=" + warnings + ", devAdminKey="
                    + devAdminKey.map(k -> "<redacted>").orElse("none") + "]";
        }
    }

    /**
     * The options that decide.
     *
     * @param dev          {@code --dev}
     * @param insecureHttp {@code --insecure-http}
     * @param tlsCert      {@code --tls-cert}
     * @param tlsKey       {@code --tls-key}
     * @param tlsClientCa  {@code --tls-client-ca}
     * @param port         listener port (0: random)
     * @param devDirectory where --dev keeps its admin key file
     * @param bootstrapEnv value of {@code FLOE_BOOTSTRAP_ADMIN_KEY_FILE}, or null
     */
    public record Options(
            boolean dev,
            boolean insecureHttp,
            @Nullable Path tlsCert,
            @Nullable Path tlsKey,
            @Nullable Path tlsClientCa,
            int port,
            Path devDirectory,
            @Nullable String bootstrapEnv) {}

    private SecurityStartup() {}

    /** Decides; throws {@link IllegalArgumentException} with the reason when the server must not start. */
    public static Plan plan(Options o) {
        Map<String, Object> props = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        boolean tls = o.tlsCert() != null || o.tlsKey() != null;
        if (tls) {
            if (o.tlsCert() == null || o.tlsKey() == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key must be given together");
            }
            props.putAll(TlsServerProperties.of(
                    o.tlsCert(), o.tlsKey(), o.tlsClientCa(), o.port() == 0 ? -1 : o.port(), Duration.ofSeconds(10)));
        } else if (o.tlsClientCa() != null) {
            throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
        } else if (o.insecureHttp()) {
            warnings.add(
                    "WARNING: --insecure-http: serving plain HTTP. API keys and tokens cross the network in clear text;"
                            + " use only behind a TLS-terminating proxy on a trusted network.");
        } else if (!o.dev()) {
            throw new IllegalArgumentException(
                    "TLS is required: pass --tls-cert and --tls-key (create a pair with"
                            + " 'floe generate-cert --common-name <host>'), or --insecure-http to serve plain HTTP deliberately");
        }
        Optional<String> devKey = Optional.empty();
        if (o.dev() && o.bootstrapEnv() == null) {
            Path file = o.devDirectory().resolve("dev-admin.key");
            devKey = Optional.of(devAdminKey(file));
            props.put("floe.auth.bootstrap-admin-key-file", file.toString());
        } else if (o.bootstrapEnv() == null) {
            warnings.add("note: no " + SecuritySettings.BOOTSTRAP_ENV
                    + " set: only keys already in the store (or OIDC tokens) can call the catalog");
        }
        return new Plan(props, warnings, devKey, tls);
    }

    /** Reads the dev admin key, creating it (owner-only file) on first use so restarts keep it. */
    static String devAdminKey(Path file) {
        try {
            if (Files.exists(file)) {
                String existing =
                        Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (ApiKeyCredential.parse(existing).isPresent()) {
                    return existing;
                }
                throw new IllegalArgumentException(file + " does not hold a Floe API key; delete it to get a new one");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            String key = ApiKeyCredential.generate().token();
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot create the development admin key " + file + ": " + e.getMessage(), e);
        }
    }
}
