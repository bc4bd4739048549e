package dev.floe.catalog.security;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import java.text.ParseException;
import java.util.Locale;

/**
 * Turns the credential a request carries into a {@link Principal}: an API key
 * ({@code Authorization: Bearer floe_…} or {@code X-API-Key}), a token this catalog issued, or a
 * JWT from the configured OIDC issuer. Says only whether a credential was missing or invalid, never
 * why in detail, so a caller learns nothing about which keys exist.
 */
public final class Authenticator {

    /** The outcome of looking at a request's credential. */
    public sealed interface Outcome {
        /** A valid credential. */
        record Authenticated(Principal principal) implements Outcome {
        }

        /** No credential at all. */
        record Missing() implements Outcome {
        }

        /**
         * A credential that did not verify.
         *
         * @param reason why, as a short fixed word for metrics and the server log (never sent to the
         *               caller, never containing the credential): {@code malformed}, {@code api-key},
         *               {@code token}, {@code unknown-issuer}, {@code expired}, {@code not-yet-valid},
         *               {@code wrong-audience}, {@code bad-signature}, {@code unknown-key},
         *               {@code jwks-unavailable}, {@code invalid-claims}, {@code unsupported-scheme}
         */
        record Invalid(String reason) implements Outcome {
        }
    }

    private final ApiKeyService keys;
    private final TokenService tokens;
    private final @Nullable OidcAuthenticator oidc;

    public Authenticator(ApiKeyService keys, TokenService tokens, @Nullable OidcAuthenticator oidc) {
        this.keys = keys;
        this.tokens = tokens;
        this.oidc = oidc;
    }

    /** Authenticates from the {@code Authorization} and {@code X-API-Key} header values (either may be null). */
    public Outcome authenticate(@Nullable String authorization, @Nullable String apiKeyHeader) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return new Outcome.Invalid("unsupported-scheme");
            }
            return bearer(value.substring(7).trim());
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKey(apiKeyHeader.trim());
        }
        return new Outcome.Missing();
    }

    /**
     * Whether {@link #authenticate} can decide this credential from memory alone, with no database
     * read and no call to an OIDC issuer, so a thread that must not block (the event loop) may run
     * it: no credential or a malformed one; an API key or a token of this catalog whose key record is
     * cached ({@link ApiKeyService#isCached}). OIDC tokens are never decided from memory, since
     * their issuer's keys may have to be fetched.
     */
    public boolean decidesInMemory(@Nullable String authorization, @Nullable String apiKeyHeader) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return true;
            }
            String credential = value.substring(7).trim();
            if (credential.startsWith(ApiKeyCredential.PREFIX)) {
                return apiKeyDecidesInMemory(credential);
            }
            try {
                SignedJWT jwt = SignedJWT.parse(credential);
                if (!TokenService.looksLikeOwnToken(jwt)) {
                    return oidc == null || !oidc.accepts(jwt);
                }
                String subject = jwt.getJWTClaimsSet().getSubject();
                return subject == null || keys.isCached(subject);
            } catch (ParseException e) {
                return true;
            }
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyDecidesInMemory(apiKeyHeader.trim());
        }
        return true;
    }

    private boolean apiKeyDecidesInMemory(String token) {
        return ApiKeyCredential.parse(token).map(credential -> keys.isCached(credential.keyId())).orElse(true);
    }

    private Outcome bearer(String credential) {
        if (credential.startsWith(ApiKeyCredential.PREFIX)) {
            return apiKey(credential);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(credential);
        } catch (ParseException e) {
            // also what an unsigned token ("alg": "none") is: a plain JWT, not a JWS
            return new Outcome.Invalid("malformed");
        }
        if (TokenService.looksLikeOwnToken(jwt)) {
            return tokens.verify(jwt).<Outcome>map(Outcome.Authenticated::new)
                    .orElseGet(() -> new Outcome.Invalid("token"));
        }
        if (oidc != null && oidc.accepts(jwt)) {
            return oidc.authenticate(jwt);
        }
        return new Outcome.Invalid("unknown-issuer");
    }

    private Outcome apiKey(String token) {
        return ApiKeyCredential.parse(token)
                .flatMap(credential -> keys.authenticate(credential, "api-key"))
                .<Outcome>map(Outcome.Authenticated::new)
                .orElseGet(() -> new Outcome.Invalid("api-key"));
    }
}
