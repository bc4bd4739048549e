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
        record Authenticated(Principal principal) implements Outcome {}

        /** No credential at all. */
        record Missing() implements Outcome {}

        /**
         * A credential that did not verify.
         *
         * @param reason why, as a short fixed word for metrics and the server log (never sent to the
         *               caller, never containing the credential): {@code malformed}, {@code api-key},
         *               {@code token}, {@code unknown-issuer}, {@code expired}, {@code not-yet-valid},
         *               {@code wrong-audience}, {@code bad-signature}, {@code unknown-key},
         *               {@code jwks-unavailable}, {@code invalid-claims}, {@code unsupported-scheme}
         */
        record Invalid(String reason) implements Outcome {}
    }

    private final ApiKeyService keys;
    private final TokenService tokens;
    private final @Nullable OidcAuthenticator oidc;

    public Authenticator(ApiKeyService keys, TokenService tokens, @Nullable OidcAuthenticator oidc) {
        this.keys = keys;
        this.tokens = tokens;
        this.oidc = oidc;
    }

    /**
     * A request's credential, read once from its headers: its kind decides both whether it can be
     * checked from memory ({@link #decidesInMemory}) and how it is checked ({@link #authenticate}).
     * No {@code toString} shows a secret: request attributes hold these.
     */
    public sealed interface Credential {
        /** No credential at all. */
        record None() implements Credential {}

        /** Refused by its form alone, for the {@link Outcome.Invalid} {@code reason}. */
        record Refused(String reason) implements Credential {}

        /** A well-formed API key ({@link ApiKeyCredential#toString} hides its secret). */
        record ApiKey(ApiKeyCredential key) implements Credential {}

        /** A token this catalog issued ({@link TokenService}). */
        record CatalogToken(SignedJWT jwt) implements Credential {
            @Override
            public String toString() {
                return "CatalogToken[<redacted>]";
            }
        }

        /** A JWT naming the configured OIDC issuer. */
        record OidcToken(SignedJWT jwt) implements Credential {
            @Override
            public String toString() {
                return "OidcToken[<redacted>]";
            }
        }
    }

    /** Reads the credential of the {@code Authorization} and {@code X-API-Key} header values (either may be null). */
    public Credential read(@Nullable String authorization, @Nullable String apiKeyHeader) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return new Credential.Refused("unsupported-scheme");
            }
            return bearer(value.substring(7).trim());
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKey(apiKeyHeader.trim());
        }
        return new Credential.None();
    }

    /** Authenticates from the {@code Authorization} and {@code X-API-Key} header values (either may be null). */
    public Outcome authenticate(@Nullable String authorization, @Nullable String apiKeyHeader) {
        return authenticate(read(authorization, apiKeyHeader));
    }

    /** Checks a credential: the key store, this catalog's token signature or the OIDC issuer's. */
    public Outcome authenticate(Credential credential) {
        if (credential instanceof Credential.ApiKey apiKey) {
            return keys.authenticate(apiKey.key(), "api-key")
                    .<Outcome>map(Outcome.Authenticated::new)
                    .orElseGet(() -> new Outcome.Invalid("api-key"));
        }
        if (credential instanceof Credential.CatalogToken token) {
            return tokens.verify(token.jwt())
                    .<Outcome>map(Outcome.Authenticated::new)
                    .orElseGet(() -> new Outcome.Invalid("token"));
        }
        if (credential instanceof Credential.OidcToken token) {
            return oidc.authenticate(token.jwt());
        }
        if (credential instanceof Credential.Refused refused) {
            return new Outcome.Invalid(refused.reason());
        }
        return new Outcome.Missing();
    }

    /** What a presented key id is called when the credential names none (missing, malformed). */
    public static final String NO_KEY_ID = "-";

    /**
     * The key id a credential claims to be, unverified, for keying the lockout: an API key's id, the
     * subject of a token this catalog issued (a key id), {@code oidc} for any OIDC token, else
     * {@link #NO_KEY_ID}. Only well-formed key ids are returned, so the lockout's keys stay short.
     */
    public static String presentedKeyId(Credential credential) {
        if (credential instanceof Credential.ApiKey apiKey) {
            return apiKey.key().keyId();
        }
        if (credential instanceof Credential.CatalogToken token) {
            try {
                String subject = token.jwt().getJWTClaimsSet().getSubject();
                return ApiKeyCredential.isKeyId(subject) ? subject : NO_KEY_ID;
            } catch (ParseException e) {
                return NO_KEY_ID;
            }
        }
        if (credential instanceof Credential.OidcToken) {
            return "oidc";
        }
        return NO_KEY_ID;
    }

    /** {@link #decidesInMemory(Credential)} of the credential these header values carry. */
    public boolean decidesInMemory(@Nullable String authorization, @Nullable String apiKeyHeader) {
        return decidesInMemory(read(authorization, apiKeyHeader));
    }

    /**
     * Whether {@link #authenticate} can decide this credential from memory alone, with no database
     * read and no call to an OIDC issuer, so a thread that must not block (the event loop) may run
     * it: no credential or one refused by its form; an API key or a token of this catalog whose key
     * record is cached ({@link ApiKeyService#isCached}). OIDC tokens are never decided from memory,
     * since their issuer's keys may have to be fetched.
     */
    public boolean decidesInMemory(Credential credential) {
        if (credential instanceof Credential.ApiKey apiKey) {
            return keys.isCached(apiKey.key().keyId());
        }
        if (credential instanceof Credential.CatalogToken token) {
            try {
                String subject = token.jwt().getJWTClaimsSet().getSubject();
                return subject == null || keys.isCached(subject);
            } catch (ParseException e) {
                return true; // refused without a lookup
            }
        }
        return !(credential instanceof Credential.OidcToken);
    }

    private Credential bearer(String credential) {
        if (credential.startsWith(ApiKeyCredential.PREFIX)) {
            return apiKey(credential);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(credential);
        } catch (ParseException e) {
            // also what an unsigned token ("alg": "none") is: a plain JWT, not a JWS
            return new Credential.Refused("malformed");
        }
        if (TokenService.looksLikeOwnToken(jwt)) {
            return new Credential.CatalogToken(jwt);
        }
        if (oidc != null && oidc.accepts(jwt)) {
            return new Credential.OidcToken(jwt);
        }
        return new Credential.Refused("unknown-issuer");
    }

    private static Credential apiKey(String token) {
        return ApiKeyCredential.parse(token)
                .<Credential>map(Credential.ApiKey::new)
                .orElseGet(() -> new Credential.Refused("api-key"));
    }
}
