package dev.floe.catalog.security;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.form.FormUrlEncodedDecoder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth2 token endpoint of the Iceberg REST protocol, {@code POST /v1/oauth/tokens}: the
 * client-credentials grant (client id = API key id, client secret = the key's secret; in the form
 * or as HTTP Basic) and the token-exchange grant Iceberg clients use to refresh a token before it
 * expires. Every answer is an RFC 6749 shape, which Iceberg, Spark, Trino and PyIceberg expect:
 * errors are {@code {"error", "error_description"}} with 400 ({@code invalid_request},
 * {@code unsupported_grant_type}) or 401 ({@code invalid_client}), never an Iceberg ErrorModel
 * (only the lockout's 429 keeps that shape, which PyIceberg reads). Failed client authentication
 * counts towards the lockout of its client address and client id like any other failed credential.
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
    public record ErrorResponse(String error, String error_description) {}

    private final ApiKeyService keys;
    private final TokenService tokens;
    private final LockoutTracker lockout;
    private final FormUrlEncodedDecoder forms;

    public OAuthTokenController(
            ApiKeyService keys, TokenService tokens, LockoutTracker lockout, FormUrlEncodedDecoder forms) {
        this.keys = keys;
        this.tokens = tokens;
        this.lockout = lockout;
        this.forms = forms;
    }

    /**
     * Takes any body and reads the form itself, so that a request Micronaut would refuse before
     * reaching here (no body, another content type) still gets an OAuth2 error, which Iceberg's
     * and PyIceberg's clients parse, rather than an Iceberg ErrorModel, which they cannot.
     */
    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> token(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, String> form = form(request, body);
        if (form == null) {
            return oauthError(
                    HttpStatus.BAD_REQUEST,
                    "invalid_request",
                    "Send the token request as application/x-www-form-urlencoded, each parameter once");
        }
        String grant = form.get("grant_type");
        Optional<Principal> principal;
        if (grant == null || grant.isEmpty()) {
            return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required");
        } else if ("client_credentials".equals(grant)) {
            String[] basic = basic(request.getHeaders().get("Authorization"));
            String clientId = clientId(request, form);
            String secret = basic != null ? basic[1] : form.get("client_secret");
            principal = ApiKeyCredential.of(clientId, secret).flatMap(c -> keys.authenticate(c, "api-key"));
        } else if (TOKEN_EXCHANGE.equals(grant)) {
            String subject = form.get("subject_token");
            if (subject == null || subject.isBlank()) {
                return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "subject_token is required");
            }
            principal = exchange(subject);
        } else {
            return oauthError(
                    HttpStatus.BAD_REQUEST,
                    "unsupported_grant_type",
                    "grant_type must be client_credentials or " + TOKEN_EXCHANGE);
        }
        if (principal.isEmpty()) {
            // as for other requests: only a failed credential meets the lockout of its address and key id
            String address = SecurityAttributes.clientAddress(request);
            String keyId = "client_credentials".equals(grant) && ApiKeyCredential.isKeyId(clientId(request, form))
                    ? clientId(request, form)
                    : Authenticator.NO_KEY_ID;
            long locked = lockout.lockedForSeconds(address, keyId);
            if (locked > 0) {
                request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.locked-out");
                return SecurityErrors.tooManyRequests(
                        locked, "Too many failed authentication attempts with this client; try again later");
            }
            lockout.recordFailure(address, keyId);
            request.setAttribute(SecurityAttributes.AUDIT_ACTION, "auth.failure");
            // RFC 6749 5.2: failed client authentication is invalid_client (401 with a challenge);
            // RFC 8693 2.2.2: an invalid subject_token is invalid_request.
            return TOKEN_EXCHANGE.equals(grant)
                    ? oauthError(
                            HttpStatus.BAD_REQUEST,
                            "invalid_request",
                            "subject_token is not a valid token of this catalog")
                    : oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "Client authentication failed")
                            .header("WWW-Authenticate", "Basic realm=\"floe\"");
        }
        request.setAttribute(SecurityAttributes.PRINCIPAL, principal.get());
        request.setAttribute(SecurityAttributes.AUDIT_TARGET, principal.get().keyId());
        return HttpResponse.ok(new TokenResponse(
                        tokens.issue(principal.get()),
                        "bearer",
                        tokens.lifetime().toSeconds(),
                        ACCESS_TOKEN_TYPE))
                .header("Cache-Control", "no-store");
    }

    /** The form's parameters, or null when the body is not a form or repeats a parameter (RFC 6749 3.2). */
    private @Nullable Map<String, String> form(HttpRequest<?> request, @Nullable String body) {
        boolean isForm = request.getContentType()
                .map(type -> type.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE))
                .orElse(false);
        if (!isForm) {
            return null;
        }
        Map<String, String> form = new HashMap<>();
        for (Map.Entry<String, Object> parameter :
                forms.decode(body == null ? "" : body, StandardCharsets.UTF_8).entrySet()) {
            if (!(parameter.getValue() instanceof String value)) {
                return null; // repeated: the decoder gives a list
            }
            form.put(parameter.getKey(), value);
        }
        return form;
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
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
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
