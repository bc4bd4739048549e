package dev.floe.catalog.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Issues and verifies the catalog's own short-lived bearer tokens (OAuth2 client-credentials
 * grant, RFC 6749 §4.4): HS256 JWTs whose subject is the API key id they were issued for. The
 * signing key is 256 random bits created once and kept sealed in the store, so every replica
 * verifies every other replica's tokens. Verification re-checks the key, so revoking it ends its
 * tokens within the key cache time too.
 */
public final class TokenService implements AutoCloseable {

    /** Issuer claim of Floe-issued tokens; tells them apart from external OIDC tokens. */
    public static final String ISSUER = "floe";
    /** Audience claim of Floe-issued tokens. */
    public static final String AUDIENCE = "floe-catalog";
    /** Name of the signing key in the store. */
    public static final String KEY_NAME = "oauth-token-hs256-v1";

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final byte[] signingKey;
    private final ApiKeyService keys;
    private final Clock clock;
    private final Duration lifetime;

    public TokenService(byte[] signingKey, ApiKeyService keys, Clock clock, Duration lifetime) {
        if (signingKey.length < 32) {
            throw new IllegalArgumentException("token signing key must be at least 256 bits");
        }
        this.signingKey = signingKey.clone();
        this.keys = keys;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A fresh random 256-bit signing key, for the store to keep. */
    public static byte[] newSigningKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** How long issued tokens are valid. */
    public Duration lifetime() {
        return lifetime;
    }

    /** A signed token for the principal of an API key. */
    public String issue(Principal principal) {
        if (principal.keyId() == null) {
            throw new IllegalArgumentException("tokens are issued for API keys only");
        }
        Instant now = clock.instant();
        byte[] jti = new byte[16];
        new SecureRandom().nextBytes(jti);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(principal.keyId())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new MACSigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token: " + e.getMessage(), e);
        }
    }

    /** Whether {@code token} claims to be one of ours (HS256, issuer floe); says nothing of validity. */
    public static boolean looksLikeOwnToken(SignedJWT jwt) {
        try {
            return JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    && ISSUER.equals(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return false;
        }
    }

    /** The principal of a valid, unexpired token whose key is still valid. */
    public Optional<Principal> verify(SignedJWT jwt) {
        try {
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new MACVerifier(signingKey))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!ISSUER.equals(claims.getIssuer())
                    || claims.getAudience() == null
                    || !claims.getAudience().equals(List.of(AUDIENCE))
                    || claims.getExpirationTime() == null
                    || claims.getSubject() == null
                    || !claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isAfter(now)
                    || (claims.getNotBeforeTime() != null
                            && claims.getNotBeforeTime()
                                    .toInstant()
                                    .minus(CLOCK_SKEW)
                                    .isAfter(now))) {
                return Optional.empty();
            }
            return keys.principalForKeyId(claims.getSubject(), "token");
        } catch (JOSEException | ParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        Arrays.fill(signingKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "TokenService[lifetime=" + lifetime + "]";
    }
}
