package dev.floe.catalog.security;

import dev.floe.contract.CatalogPod;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Security configuration, read once at start-up from Micronaut properties (which the {@code floe}
 * command fills from the TOML file, flags and {@code FLOE_*} environment variables). Invalid values
 * fail start-up with a message naming the property.
 *
 * @param authEnabled            {@code floe.auth.enabled}: false only for {@code --dev}/{@code --insecure-http} experiments
 * @param keyCacheTtl            {@code floe.auth.cache-ttl}: how long a verified key is trusted before re-reading it (revocation delay)
 * @param tokenLifetime          {@code floe.auth.token-lifetime}: lifetime of issued OAuth2 tokens
 * @param bootstrapAdminKeyFile  {@code floe.auth.bootstrap-admin-key-file} or env {@code FLOE_BOOTSTRAP_ADMIN_KEY_FILE}
 * @param oidc                   OIDC settings when {@code floe.auth.oidc.issuer} is set
 * @param addressRatePerSecond   {@code floe.security.rate-limit.address-per-second}; default
 *                               {@link #defaultAddressRate(int)}, 0 switches it off
 * @param addressBurst           {@code floe.security.rate-limit.address-burst}; default twice the rate
 * @param keyRatePerSecond       {@code floe.security.rate-limit.key-per-second}; default 0 (off)
 * @param keyBurst               {@code floe.security.rate-limit.key-burst}; default twice the rate
 * @param lockoutFailures        {@code floe.security.lockout.max-failures}
 * @param lockoutWindow          {@code floe.security.lockout.window}
 * @param lockoutDuration        {@code floe.security.lockout.duration}
 * @param auditFile              {@code floe.security.audit.file}; empty means stdout
 */
public record SecuritySettings(
        boolean authEnabled,
        Duration keyCacheTtl,
        Duration tokenLifetime,
        @Nullable Path bootstrapAdminKeyFile,
        Optional<OidcAuthenticator.Settings> oidc,
        double addressRatePerSecond,
        int addressBurst,
        double keyRatePerSecond,
        int keyBurst,
        int lockoutFailures,
        Duration lockoutWindow,
        Duration lockoutDuration,
        @Nullable Path auditFile) {

    /** Environment variable naming the bootstrap admin key file (the operator mounts one). */
    public static final String BOOTSTRAP_ENV = CatalogPod.ENV_BOOTSTRAP_ADMIN_KEY_FILE;

    /**
     * Per-address requests per second allowed per CPU the JVM sees, by default. On a quiet 2-CPU
     * machine bench/footprint measured one client on loopback (16 threads, sharing the CPUs with the
     * catalog) getting 23,800 loadTable/s from the jar, above the earlier default of 10,000 per CPU,
     * which then answered it with 429s. A client on another host leaves the catalog all its CPUs, so
     * the default allows twice what was measured with the client beside it: the limit never
     * throttles a single engine below the server's capacity, while a flood beyond it from one address
     * is still answered with cheap 429s (guessing is the lockout's job).
     */
    public static final int ADDRESS_RATE_PER_CPU = 25_000;

    /** The default per-address rate for a JVM that sees {@code cpus} processors. */
    public static double defaultAddressRate(int cpus) {
        return (double) ADDRESS_RATE_PER_CPU * Math.max(1, cpus);
    }

    /** A burst of two seconds at {@code rate} unless set (at least 1; irrelevant when the limit is off). */
    static int burstOrDefault(int burst, double rate) {
        return burst > 0 ? burst : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(2 * rate)));
    }

    public SecuritySettings {
        positive("floe.auth.cache-ttl", keyCacheTtl);
        positive("floe.auth.token-lifetime", tokenLifetime);
        positive("floe.security.lockout.window", lockoutWindow);
        positive("floe.security.lockout.duration", lockoutDuration);
        if (addressRatePerSecond < 0 || keyRatePerSecond < 0 || addressBurst < 1 || keyBurst < 1) {
            throw new IllegalArgumentException(
                    "floe.security.rate-limit.*: rates must be >= 0 (0: off) and bursts >= 1");
        }
        if (lockoutFailures < 1) {
            throw new IllegalArgumentException(
                    "floe.security.lockout.max-failures must be >= 1, got " + lockoutFailures);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration such as 5s, got " + value);
        }
    }

    /** Builds the settings from Micronaut properties. */
    @io.micronaut.context.annotation.Factory
    static final class FromProperties {

        @Singleton
        SecuritySettings settings(
                @Value("${floe.auth.enabled:true}") boolean authEnabled,
                @Value("${floe.auth.cache-ttl:5s}") Duration cacheTtl,
                @Value("${floe.auth.token-lifetime:1h}") Duration tokenLifetime,
                @Value("${floe.auth.bootstrap-admin-key-file:}") String bootstrapFile,
                @Value("${floe.auth.oidc.issuer:}") String oidcIssuer,
                @Value("${floe.auth.oidc.jwks-uri:}") String oidcJwks,
                @Value("${floe.auth.oidc.audience:}") String oidcAudience,
                @Value("${floe.auth.oidc.roles-claim:roles}") String rolesClaim,
                @Value("${floe.auth.oidc.name-claim:sub}") String nameClaim,
                @Value("${floe.auth.oidc.warehouse-claim:}") String warehouseClaim,
                @Value("${floe.auth.oidc.namespace-claim:}") String namespaceClaim,
                @Value("${floe.auth.oidc.jwks-cache-ttl:10m}") Duration jwksTtl,
                @Value("${floe.auth.oidc.jwks-min-refresh-interval:30s}") Duration jwksMinRefresh,
                // -1: not set, derived from the CPUs (defaultAddressRate); bursts 0: twice the rate
                @Value("${floe.security.rate-limit.address-per-second:-1}") double addressRateSetting,
                @Value("${floe.security.rate-limit.address-burst:0}") int addressBurstSetting,
                @Value("${floe.security.rate-limit.key-per-second:0}") double keyRate,
                @Value("${floe.security.rate-limit.key-burst:0}") int keyBurstSetting,
                @Value("${floe.security.lockout.max-failures:10}") int lockoutFailures,
                @Value("${floe.security.lockout.window:5m}") Duration lockoutWindow,
                @Value("${floe.security.lockout.duration:5m}") Duration lockoutDuration,
                @Value("${floe.security.audit.file:}") String auditFile) {
            double addressRate = addressRateSetting == -1
                    ? defaultAddressRate(Runtime.getRuntime().availableProcessors())
                    : addressRateSetting;
            int addressBurst = burstOrDefault(addressBurstSetting, addressRate);
            int keyBurst = burstOrDefault(keyBurstSetting, keyRate);
            String bootstrap = !bootstrapFile.isBlank() ? bootstrapFile : System.getenv(BOOTSTRAP_ENV);
            Optional<OidcAuthenticator.Settings> oidc = Optional.empty();
            if (!oidcIssuer.isBlank()) {
                if (oidcAudience.isBlank()) {
                    throw new IllegalArgumentException(
                            "floe.auth.oidc.issuer is set: floe.auth.oidc.audience is required too");
                }
                if (oidcJwks.isBlank() && !oidcIssuer.startsWith("https://") && !oidcIssuer.startsWith("http://")) {
                    throw new IllegalArgumentException(
                            "floe.auth.oidc.jwks-uri is unset, so the keys are found through OIDC"
                                    + " discovery, which needs floe.auth.oidc.issuer to be the issuer's http(s) URL; got '"
                                    + oidcIssuer + "'");
                }
                if (jwksMinRefresh.isNegative() || jwksMinRefresh.isZero() || jwksMinRefresh.compareTo(jwksTtl) >= 0) {
                    throw new IllegalArgumentException("floe.auth.oidc.jwks-min-refresh-interval (" + jwksMinRefresh
                            + ") must be positive and shorter than floe.auth.oidc.jwks-cache-ttl (" + jwksTtl + ")");
                }
                if (!oidcJwks.isBlank() && !oidcJwks.startsWith("https://") && !oidcJwks.startsWith("http://")) {
                    throw new IllegalArgumentException(
                            "floe.auth.oidc.jwks-uri must be an http(s) URL, got '" + oidcJwks + "'");
                }
                oidc = Optional.of(new OidcAuthenticator.Settings(
                        oidcIssuer,
                        oidcJwks.isBlank() ? null : URI.create(oidcJwks),
                        oidcAudience,
                        rolesClaim,
                        nameClaim,
                        warehouseClaim.isBlank() ? null : warehouseClaim,
                        namespaceClaim.isBlank() ? null : namespaceClaim,
                        jwksTtl,
                        jwksMinRefresh));
            }
            return new SecuritySettings(
                    authEnabled,
                    cacheTtl,
                    tokenLifetime,
                    bootstrap == null || bootstrap.isBlank() ? null : Path.of(bootstrap),
                    oidc,
                    addressRate,
                    addressBurst,
                    keyRate,
                    keyBurst,
                    lockoutFailures,
                    lockoutWindow,
                    lockoutDuration,
                    auditFile.isBlank() ? null : Path.of(auditFile));
        }
    }
}
