package dev.floe.catalog.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.core.annotation.Nullable;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates JWTs from an external OpenID Connect issuer: signature (RS256 or ES256) against the
 * issuer's JWKS, fetched and cached by Nimbus (refreshed when an unknown key id appears, so issuer
 * key rotation works), and the {@code iss}, {@code aud}, {@code exp} and {@code nbf} claims. Roles
 * come from a configured claim (a dotted path such as {@code realm_access.roles} is followed).
 */
public final class OidcAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);

    /**
     * Settings.
     *
     * @param issuer          expected {@code iss}
     * @param jwksUri         the issuer's JWKS endpoint
     * @param audience        expected {@code aud}
     * @param rolesClaim      claim holding role names (array or space/comma separated string)
     * @param nameClaim       claim used as the principal's name
     * @param warehouseClaim  optional claim confining the caller to one warehouse
     * @param namespaceClaim  optional claim confining the caller to a namespace prefix
     * @param jwksCacheTtl    how long fetched keys are used before refetching
     */
    public record Settings(String issuer, URI jwksUri, String audience, String rolesClaim, String nameClaim,
                           @Nullable String warehouseClaim, @Nullable String namespaceClaim, Duration jwksCacheTtl) {
    }

    private final Settings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public OidcAuthenticator(Settings settings) {
        this.settings = settings;
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(settings.jwksUri().toURL())
                    .cache(settings.jwksCacheTtl().toMillis(), Duration.ofSeconds(15).toMillis())
                    .rateLimited(false)
                    .refreshAheadCache(false)
                    .build();
            processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience(),
                    new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), new HashSet<>(List.of("exp", "iss", "aud"))));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("floe.auth.oidc.jwks-uri is not a URL: " + settings.jwksUri(), e);
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

    /** The principal for a valid token, or empty. */
    public Optional<Principal> authenticate(SignedJWT jwt) {
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
            String warehouse = settings.warehouseClaim() == null ? null : asString(claim(claims.getClaims(), settings.warehouseClaim()));
            String namespace = settings.namespaceClaim() == null ? null : asString(claim(claims.getClaims(), settings.namespaceClaim()));
            return Optional.of(new Principal(name == null ? String.valueOf(claims.getSubject()) : name.toString(), null,
                    roles, warehouse, namespace, "oidc"));
        } catch (BadJOSEException | JOSEException e) {
            // The reason (expired, wrong audience, unknown key) helps operators; it contains no token.
            LOG.debug("OIDC token rejected: {}", e.getMessage());
            return Optional.empty();
        }
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

    private static @Nullable String asString(@Nullable Object value) {
        return value == null ? null : value.toString();
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
