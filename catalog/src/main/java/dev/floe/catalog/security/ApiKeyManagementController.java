package dev.floe.catalog.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /management/v1/api-keys}: create (the only time a key's secret is shown), list, inspect
 * and revoke API keys. The {@link EndpointPolicy} restricts every management route to admins;
 * here an admin confined to a warehouse or namespace sees, creates and revokes only keys whose
 * scope lies inside its own (others answer 404, as if they did not exist; creating one outside is
 * 403). Every call is audited.
 */
@Controller("/management/v1/api-keys")
@Requires(beans = ApiKeyService.class)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ApiKeyManagementController {

    /**
     * Request to create a key.
     *
     * @param name             human name
     * @param roles            role names: admin, writer, reader
     * @param warehouse        optional warehouse scope
     * @param namespacePrefix  optional namespace scope, levels joined by '.'
     * @param expiresInSeconds optional lifetime
     */
    @Serdeable
    public record CreateRequest(
            String name,
            List<String> roles,
            @Nullable String warehouse,
            @Nullable String namespacePrefix,
            @Nullable Long expiresInSeconds) {}

    /** A key as listed (no secret). */
    @Serdeable
    public record KeyView(
            String keyId,
            String name,
            List<String> roles,
            @Nullable String warehouse,
            @Nullable String namespacePrefix,
            String createdBy,
            String createdAt,
            @Nullable String expiresAt,
            @Nullable String revokedAt) {
        static KeyView of(ApiKeyRecord r) {
            return new KeyView(
                    r.keyId(),
                    r.name(),
                    r.roles().stream().sorted().map(Role::id).toList(),
                    r.warehouse(),
                    r.namespacePrefix(),
                    r.createdBy(),
                    r.createdAt().toString(),
                    r.expiresAt() == null ? null : r.expiresAt().toString(),
                    r.revokedAt() == null ? null : r.revokedAt().toString());
        }
    }

    /** A newly created key: {@code apiKey} is shown this once. */
    @Serdeable
    public record Created(String apiKey, KeyView key) {
        @Override
        public String toString() {
            return "Created[key=" + key + ", apiKey=<redacted>]";
        }
    }

    /** Listing. */
    @Serdeable
    public record KeyList(List<KeyView> apiKeys) {}

    private final ApiKeyService keys;

    public ApiKeyManagementController(ApiKeyService keys) {
        this.keys = keys;
    }

    @Post
    public HttpResponse<?> create(HttpRequest<?> request, @Body CreateRequest body) {
        Principal caller = SecurityAttributes.requirePrincipal(request);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        try {
            if (body == null || body.roles() == null) {
                throw new IllegalArgumentException("roles is required; accepted: admin, writer, reader");
            }
            body.roles().forEach(role -> roles.add(Role.parse(role)));
            if (body.expiresInSeconds() != null && body.expiresInSeconds() <= 0) {
                throw new IllegalArgumentException("expiresInSeconds must be positive");
            }
            // A scoped admin hands out only what it holds: a key outside its scope (or without one)
            // would be a way out of it.
            if (!caller.covers(
                    ApiKeyService.warehouseScope(body.warehouse()),
                    ApiKeyService.namespaceScope(body.namespacePrefix()))) {
                return SecurityErrors.forbidden("This credential may only create keys inside its own scope"
                        + scopeText(caller) + "; set warehouse and namespacePrefix within it");
            }
            Instant expires =
                    body.expiresInSeconds() == null ? null : Instant.now().plusSeconds(body.expiresInSeconds());
            ApiKeyService.Created created = keys.create(
                    body.name(), roles, body.warehouse(), body.namespacePrefix(), expires, caller.auditId());
            request.setAttribute(
                    SecurityAttributes.AUDIT_TARGET, created.record().keyId());
            return HttpResponse.created(new Created(created.credential().token(), KeyView.of(created.record())));
        } catch (IllegalArgumentException e) {
            return SecurityErrors.error(HttpStatus.BAD_REQUEST, "BadRequestException", e.getMessage());
        }
    }

    /** The keys inside the caller's scope (all of them for an unscoped admin). */
    @Get
    public KeyList list(HttpRequest<?> request) {
        Principal caller = SecurityAttributes.requirePrincipal(request);
        return new KeyList(keys.list().stream()
                .filter(r -> r.within(caller))
                .map(KeyView::of)
                .toList());
    }

    @Get("/{keyId}")
    public HttpResponse<?> get(HttpRequest<?> request, @PathVariable String keyId) {
        Principal caller = SecurityAttributes.requirePrincipal(request);
        return keys.find(keyId)
                .filter(r -> r.within(caller))
                .<HttpResponse<?>>map(r -> HttpResponse.ok(KeyView.of(r)))
                .orElseGet(() -> notFound(keyId));
    }

    /** Revokes a key inside the caller's scope; any other answers as a key that does not exist. */
    @Delete("/{keyId}")
    public HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String keyId) {
        Principal caller = SecurityAttributes.requirePrincipal(request);
        request.setAttribute(SecurityAttributes.AUDIT_TARGET, keyId);
        boolean mine = keys.find(keyId).map(r -> r.within(caller)).orElse(false);
        return mine && keys.revoke(keyId) ? HttpResponse.noContent() : notFound(keyId);
    }

    private static String scopeText(Principal caller) {
        return (caller.warehouse() == null ? "" : " (warehouse '" + caller.warehouse() + "')")
                + (caller.namespacePrefix() == null ? "" : " (namespace '" + caller.namespacePrefix() + "')");
    }

    private static HttpResponse<?> notFound(String keyId) {
        String shown = keyId.matches("[a-z2-7]{1,32}") ? keyId : "(invalid id)";
        return SecurityErrors.error(
                HttpStatus.NOT_FOUND, "NotFoundException", "API key does not exist or is already revoked: " + shown);
    }
}
