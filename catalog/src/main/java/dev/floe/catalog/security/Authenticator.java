package dev.floe.catalog.security;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;

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

        /** A credential that did not verify. */
        record Invalid() implements Outcome {
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
                return new Outcome.Invalid();
            }
            return bearer(value.substring(7).trim());
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKey(apiKeyHeader.trim());
        }
        return new Outcome.Missing();
    }

    private Outcome bearer(String credential) {
        if (credential.startsWith(ApiKeyCredential.PREFIX)) {
            return apiKey(credential);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(credential);
        } catch (ParseException e) {
            return new Outcome.Invalid();
        }
        Optional<Principal> principal;
        if (TokenService.looksLikeOwnToken(jwt)) {
            principal = tokens.verify(jwt);
        } else if (oidc != null && oidc.accepts(jwt)) {
            principal = oidc.authenticate(jwt);
        } else {
            principal = Optional.empty();
        }
        return principal.<Outcome>map(Outcome.Authenticated::new).orElseGet(Outcome.Invalid::new);
    }

    private Outcome apiKey(String token) {
        return ApiKeyCredential.parse(token)
                .flatMap(credential -> keys.authenticate(credential, "api-key"))
                .<Outcome>map(Outcome.Authenticated::new)
                .orElseGet(Outcome.Invalid::new);
    }
}
