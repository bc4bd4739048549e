package dev.floe.catalog.rest;

import dev.floe.catalog.vending.S3RemoteSigning;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.ImmutableRemoteSignResponse;

/**
 * The spec's {@code POST …/tables/{table}/sign}: signs one S3 request of an engine that loaded the
 * table with {@code X-Iceberg-Access-Delegation: remote-signing}. The route's role (reader) and the
 * caller's scope are checked by the security filters like every other route; here the request must
 * stay inside the table's location, and only a caller who may commit gets write methods signed.
 * The signed headers are in the response only, never logged.
 */
@Controller("/v1")
public class S3SignController {

    /** Reads may be reused by the client for a while (Iceberg's caches them 30 s); writes may not. */
    private static final Set<String> CACHEABLE = Set.of("GET", "HEAD");

    private final TableService tables;
    private final S3RemoteSigning signing;
    private final VendingAccess access;

    public S3SignController(TableService tables, S3RemoteSigning signing, VendingAccess access) {
        this.tables = tables;
        this.signing = signing;
        this.access = access;
    }

    @Post(
            uris = {
                "/namespaces/{namespace}/tables/{table}/sign",
                "/{prefix}/namespaces/{namespace}/tables/{table}/sign"
            })
    @Consumes(MediaType.APPLICATION_JSON)
    public MutableHttpResponse<String> sign(
            HttpRequest<?> request,
            @Nullable @PathVariable String prefix,
            @PathVariable String namespace,
            @PathVariable String table,
            @Body String body) {
        if (!signing.enabled()) {
            throw new BadRequestException("Remote signing is not enabled on this catalog");
        }
        RemoteSignRequest sign = IcebergJson.read(body, RemoteSignRequest.class);
        TableIdentifier ident = Identifiers.table(Identifiers.namespace(namespace), table);
        Map<String, List<String>> headers = signing.sign(
                sign.method(),
                sign.uri(),
                sign.region(),
                sign.headers(),
                sign.body(),
                sign.provider(),
                tables.location(prefix, ident),
                access.level(request));
        boolean cacheable = CACHEABLE.contains(sign.method().toUpperCase(Locale.ROOT));
        return Responses.json(ImmutableRemoteSignResponse.builder()
                        .uri(sign.uri())
                        .headers(headers)
                        .build())
                .header(HttpHeaders.CACHE_CONTROL, cacheable ? "private" : "no-cache");
    }
}
