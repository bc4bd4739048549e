package dev.floe.catalog.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth2 token endpoint of the Iceberg REST protocol, {@code POST /v1/oauth/tokens}: the
 * client-credentials grant (client id = API key id, client secret = the key's secret; in the form
 * or as HTTP Basic) and the token-exchange grant Iceberg clients use to refresh a token before it
 * expires. Answers are the RFC 6749 shapes Iceberg, Spark, Trino and PyIceberg expect. Failed
 * client authentication counts towards the lockout of its client address and client id like any
 * other failed credential.
 */
@Controller("/v1/oauth/tokens")
@Requires(beans = TokenService.class)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OAuthTokenController {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /** Successful token response. */
    @Serdeable
    public record TokenResponse(String access_token, String token_type, long expires_in, String issued_token_type) {
        @Override
        public String toString() {
            return "TokenResponse[access_token=<redacted>, expires_in=" + expires_in + "]";
        }
    }

    /** Error response (RFC 6749 §5.2). */
    @Serdeable
    public record ErrorResponse(String error, String error_description) {
    }

    private final ApiKeyService keys;
    private final TokenService tokens;
    private final LockoutTracker lockout;

    public OAuthTokenController(ApiKeyService keys, TokenService tokens, LockoutTracker lockout) {
        this.keys = keys;
        this.tokens = tokens;
        this.lockout = lockout;
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> token(HttpRequest<?> request, @Body Map<String, String> form) {
        String grant = form.getOrDefault("grant_type", "");
        Optional<Principal> principal;
        if ("client_credentials".equals(grant)) {
            String[] basic = basic(request.getHeaders().get("Authorization"));
            String clientId = clientId(request, form);
            String secret = basic != null ? basic[1] : form.get("client_secret");
            principal = ApiKeyCredential.of(clientId, secret).flatMap(c -> keys.authenticate(c, "api-key"));
        } else if (TOKEN_EXCHANGE.equals(grant)) {
            principal = exchange(form.get("subject_token"));
        } else {
            return oauthError(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                    "grant_type must be client_credentials or " + TOKEN_EXCHANGE);
        }
        if (principal.isEmpty()) {
            // as for other requests: only a failed credential meets the lockout of its address and key id
            String address = SecurityAttributes.clientAddress(request);
            String keyId = "client_credentials".equals(grant) && ApiKeyCredential.isKeyId(clientId(request, form))
                    ? clientId(request, form) : Authenticator.NO_KEY_ID;
            long locked = lockout.lockedForSeconds(address, keyId);
            if (locked > 0) {
                request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.locked-out");
                return SecurityErrors.tooManyRequests(locked,
                        "Too many failed authentication attempts with this client; try again later");
            }
            lockout.recordFailure(address, keyId);
            request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.failure");
            return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "Client authentication failed")
                    .header("WWW-Authenticate", "Basic realm=\"floe\"");
        }
        request.setAttribute(SecurityAttributes.PRINCIPAL, principal.get());
        request.setAttribute(SecurityAttributes.AUDIT_TARGET, principal.get().keyId());
        return HttpResponse.ok(new TokenResponse(tokens.issue(principal.get()), "bearer",
                tokens.lifetime().toSeconds(), ACCESS_TOKEN_TYPE)).header("Cache-Control", "no-store");
    }

    /** The key behind a still-valid token we issued (or an API key) presented for exchange. */
    private Optional<Principal> exchange(String subjectToken) {
        if (subjectToken == null || subjectToken.isBlank()) {
            return Optional.empty();
        }
        if (subjectToken.startsWith(ApiKeyCredential.PREFIX)) {
            return ApiKeyCredential.parse(subjectToken).flatMap(c -> keys.authenticate(c, "api-key"));
        }
        try {
            SignedJWT jwt = SignedJWT.parse(subjectToken);
            return TokenService.looksLikeOwnToken(jwt) ? tokens.verify(jwt) : Optional.empty();
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    /** The client id of a client_credentials request: from HTTP Basic, else the form. */
    private static String clientId(HttpRequest<?> request, Map<String, String> form) {
        String[] basic = basic(request.getHeaders().get("Authorization"));
        return basic != null ? basic[0] : form.get("client_id");
    }

    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MutableHttpResponse<ErrorResponse> oauthError(HttpStatus status, String error, String description) {
        return HttpResponse.<ErrorResponse>status(status).body(new ErrorResponse(error, description));
    }
}
