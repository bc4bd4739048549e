package dev.floe.catalog.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates JWTs from an external OpenID Connect issuer: signature (RS256 or ES256 only; unsigned
 * tokens never parse as signed ones) against the issuer's JWKS (configured, or found through OIDC
 * discovery), and the {@code iss}, {@code aud},
 * {@code exp} (required) and {@code nbf} claims with Nimbus' 60 s clock skew. The JWKS is fetched
 * once and cached for {@code jwksCacheTtl}; a token naming an unknown key id refetches it, so key
 * rotation at the issuer works without a restart, but at most twice per {@code jwksMinRefreshInterval}
 * (Nimbus' rate limiter), so tokens with made-up key ids cannot turn the catalog into a flood of
 * requests against the issuer. Roles come from a configured claim (a dotted path such as
 * {@code realm_access.roles} is followed).
 */
public final class OidcAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);

    /**
     * Settings.
     *
     * @param issuer          expected {@code iss}
     * @param jwksUri         the issuer's JWKS endpoint, or null to take {@code jwks_uri} from the
     *                        issuer's OIDC discovery document ({@code <issuer>/.well-known/openid-configuration})
     * @param audience        expected {@code aud}
     * @param rolesClaim      claim holding role names (array or space/comma separated string)
     * @param nameClaim       claim used as the principal's name
     * @param warehouseClaim  optional claim confining the caller to one warehouse
     * @param namespaceClaim  optional claim confining the caller to a namespace prefix
     * @param jwksCacheTtl    how long fetched keys are used before refetching
     * @param jwksMinRefreshInterval window in which at most two JWKS fetches happen (unknown key ids)
     */
    public record Settings(
            String issuer,
            @Nullable URI jwksUri,
            String audience,
            String rolesClaim,
            String nameClaim,
            @Nullable String warehouseClaim,
            @Nullable String namespaceClaim,
            Duration jwksCacheTtl,
            Duration jwksMinRefreshInterval) {}

    /** JOSE {@code typ} values accepted: none, {@code JWT}, and RFC 9068 access tokens ({@code at+jwt}). */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null);
    /** JWKS fetch limits: an issuer on the cluster network answers well within these. */
    private static final int JWKS_TIMEOUT_MILLIS = 3000;

    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final Settings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public OidcAuthenticator(Settings settings) {
        this.settings = settings;
        try {
            JWKSource<SecurityContext> keys = settings.jwksUri() != null
                    ? keySource(settings, settings.jwksUri().toURL())
                    : new DiscoveredKeySource(settings);
            processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(TYPES);
            processor.setJWSKeySelector(
                    new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    settings.audience(),
                    new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                    new HashSet<>(List.of("exp", "iss", "aud"))));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("floe.auth.oidc.jwks-uri is not a URL: " + settings.jwksUri(), e);
        }
    }

    /** The cached, rate-limited key source of one JWKS URL. */
    private static JWKSource<SecurityContext> keySource(Settings settings, URL jwks) {
        return JWKSourceBuilder.<SecurityContext>create(jwks, retriever())
                .cache(
                        settings.jwksCacheTtl().toMillis(),
                        Duration.ofSeconds(15).toMillis())
                .rateLimited(settings.jwksMinRefreshInterval().toMillis())
                .refreshAheadCache(false)
                .build();
    }

    private static DefaultResourceRetriever retriever() {
        return new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT);
    }

    /**
     * Finds the JWKS URL in the issuer's OIDC discovery document on first use (not at start-up, so a
     * catalog starts while its identity provider is down), checking that the document names the
     * configured issuer exactly (OpenID Connect Discovery 1.0, section 4.3). A failed discovery is
     * retried at most once per {@code jwksMinRefreshInterval}.
     */
    private static final class DiscoveredKeySource implements JWKSource<SecurityContext> {

        private final Settings settings;
        private volatile JWKSource<SecurityContext> delegate;
        private long retryAfterMillis;

        DiscoveredKeySource(Settings settings) {
            this.settings = settings;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            JWKSource<SecurityContext> keys = delegate;
            return (keys != null ? keys : discover()).get(selector, context);
        }

        private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
            if (delegate != null) {
                return delegate;
            }
            long now = System.currentTimeMillis();
            if (now < retryAfterMillis) {
                throw new KeySourceException(
                        "OIDC discovery for " + settings.issuer() + " failed recently; retrying later");
            }
            String document = settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
            try {
                JsonNode metadata = new ObjectMapper()
                        .readTree(retriever()
                                .retrieveResource(URI.create(document).toURL())
                                .getContent());
                String issuer = metadata.path("issuer").asText("");
                String jwks = metadata.path("jwks_uri").asText("");
                if (!settings.issuer().equals(issuer)) {
                    throw new IllegalStateException(
                            "it names issuer '" + issuer + "', not '" + settings.issuer() + "'");
                }
                if (!jwks.startsWith("https://") && !jwks.startsWith("http://")) {
                    throw new IllegalStateException("its jwks_uri is not an http(s) URL: '" + jwks + "'");
                }
                delegate = keySource(settings, URI.create(jwks).toURL());
                LOG.info("OIDC discovery: issuer {} publishes its keys at {}", settings.issuer(), jwks);
                return delegate;
            } catch (IOException | RuntimeException e) {
                retryAfterMillis = now + settings.jwksMinRefreshInterval().toMillis();
                LOG.warn("OIDC discovery at {} failed: {}", document, e.getMessage());
                throw new KeySourceException("OIDC discovery at " + document + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the token names this issuer (so it is ours to validate). */
    public boolean accepts(SignedJWT jwt) {
        try {
            return settings.issuer().equals(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return false;
        }
    }

    /** The principal for a valid token, or why it is invalid (a fixed word, see {@link Authenticator.Outcome.Invalid}). */
    public Authenticator.Outcome authenticate(SignedJWT jwt) {
        try {
            JWTClaimsSet claims = processor.process(jwt, null);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String value : strings(claim(claims.getClaims(), settings.rolesClaim()))) {
                try {
                    roles.add(Role.parse(value));
                } catch (IllegalArgumentException ignored) {
                    // roles of other applications in the same claim are not ours
                }
            }
            Object name = claim(claims.getClaims(), settings.nameClaim());
            // A configured scope claim is a requirement: a token without it, or with a value that is
            // not a scope, is refused rather than given the whole catalog.
            String warehouse = null;
            if (settings.warehouseClaim() != null) {
                warehouse = warehouseScope(claim(claims.getClaims(), settings.warehouseClaim()));
                if (warehouse == null) {
                    return badScopeClaim(settings.warehouseClaim());
                }
            }
            Namespace namespace = null;
            if (settings.namespaceClaim() != null) {
                namespace = namespaceScope(claim(claims.getClaims(), settings.namespaceClaim()));
                if (namespace == null) {
                    return badScopeClaim(settings.namespaceClaim());
                }
            }
            return new Authenticator.Outcome.Authenticated(new Principal(
                    name == null ? String.valueOf(claims.getSubject()) : name.toString(),
                    null,
                    roles,
                    warehouse,
                    namespace,
                    "oidc"));
        } catch (BadJOSEException | JOSEException e) {
            String reason = reason(e);
            // The reason helps operators; Nimbus' messages name claims and algorithms, never the token.
            LOG.debug("OIDC token rejected ({}): {}", reason, e.getMessage());
            return new Authenticator.Outcome.Invalid(reason);
        }
    }

    /** Maps Nimbus' exceptions (messages of the pinned version, checked by OidcAuthenticationIT) to a fixed word. */
    static String reason(Exception e) {
        if (e instanceof RateLimitReachedException) {
            return "unknown-key"; // a refetch for yet another unknown key id was refused
        }
        if (e instanceof com.nimbusds.jose.KeySourceException) {
            return "jwks-unavailable";
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Expired JWT")) {
            return "expired";
        }
        if (message.startsWith("JWT before use time")) {
            return "not-yet-valid";
        }
        if (message.contains("aud claim")) {
            return "wrong-audience";
        }
        if (message.contains("Invalid signature")) {
            return "bad-signature";
        }
        if (message.contains("no matching key(s) found")) {
            return "unknown-key";
        }
        return "invalid-claims";
    }

    private static @Nullable Object claim(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static Authenticator.Outcome badScopeClaim(String claimName) {
        LOG.debug("OIDC token rejected (scope-claim): claim {} is missing or not a scope", claimName);
        return new Authenticator.Outcome.Invalid("scope-claim");
    }

    /** A warehouse claim's value: a non-blank string, else null. */
    static @Nullable String warehouseScope(@Nullable Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    /**
     * A namespace claim's value as levels: a string of levels joined by '.' ({@code sales.eu}) or a
     * JSON array of levels ({@code ["sales", "eu"]}, for levels that contain a dot); null when it is
     * anything else or has an empty level.
     */
    static @Nullable Namespace namespaceScope(@Nullable Object value) {
        List<String> levels = new ArrayList<>();
        if (value instanceof String text) {
            levels.addAll(List.of(text.split("\\.", -1)));
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (!(item instanceof String level)) {
                    return null;
                }
                levels.add(level);
            }
        } else {
            return null;
        }
        if (levels.isEmpty() || levels.stream().anyMatch(String::isBlank)) {
            return null;
        }
        return Namespace.of(levels.toArray(String[]::new));
    }

    private static List<String> strings(@Nullable Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(item -> out.add(String.valueOf(item)));
        } else if (value != null) {
            for (String part : value.toString().split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
