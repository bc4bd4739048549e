package dev.floe.catalog.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.vending.StorageCredentialVending;
import dev.floe.catalog.vending.VendedCredential;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.credentials.ImmutableCredential;
import org.apache.iceberg.rest.responses.ImmutableLoadCredentialsResponse;
import org.apache.iceberg.rest.responses.LoadCredentialsResponse;

/**
 * Puts vended storage credentials into table responses when the caller asks for them with
 * {@code X-Iceberg-Access-Delegation: vended-credentials}: a {@code storage-credentials} entry for
 * the table's location, and in {@code config} the warehouse's S3 client settings and
 * {@code client.refresh-credentials-endpoint} (this table's {@code …/credentials}), from which
 * clients fetch new credentials before these expire. The credentials are added to a response on
 * its way out, after the load cache and the idempotency store have seen it, so neither ever holds
 * them.
 */
@Singleton
public class VendedCredentialResponses {

    public static final String HEADER = "X-Iceberg-Access-Delegation";
    static final String VENDED = "vended-credentials";
    static final String REMOTE_SIGNING = "remote-signing";
    /**
     * Namespace levels in a path: the unit separator, percent-encoded. It is what Iceberg's clients
     * send by default (the value RESTUtil's deprecated one-argument encodeNamespace used).
     */
    private static final String ENCODED_NAMESPACE_SEPARATOR = "%1F";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StorageCredentialVending vending;
    private final VendingAccess access;

    public VendedCredentialResponses(StorageCredentialVending vending, VendingAccess access) {
        this.vending = vending;
        this.access = access;
    }

    /**
     * Whether the header asks for vended credentials and this catalog vends them. The spec's values
     * are {@code vended-credentials} and {@code remote-signing}, comma-separated; anything else is a
     * 400. Remote signing alone asks for nothing this catalog does (it is not offered), so the
     * response then carries no credentials and the engine uses its own.
     */
    public boolean requested(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        boolean vended = false;
        for (String mode : header.split(",")) {
            String value = mode.trim().toLowerCase(Locale.ROOT);
            if (value.equals(VENDED)) {
                vended = true;
            } else if (!value.equals(REMOTE_SIGNING)) {
                throw new BadRequestException(
                        "Invalid %s: %s (accepted: %s, %s)",
                        HEADER, Identifiers.printable(mode.trim()), VENDED, REMOTE_SIGNING);
            }
        }
        return vended && vending.enabled();
    }

    /** Credentials for the caller of {@code request} on the table at {@code location} (may call STS). */
    public Optional<VendedCredential> credentials(HttpRequest<?> request, @Nullable String location) {
        return vending.credentials(location, access.level(request));
    }

    /** As {@link #credentials}, but only when they are cached and fresh (never calls STS). */
    public Optional<VendedCredential> cachedCredentials(HttpRequest<?> request, @Nullable String location) {
        return vending.cachedCredentials(location, access.level(request));
    }

    /**
     * {@code body} (a LoadTableResult as Iceberg serialized it: no {@code config} and no
     * {@code storage-credentials} members, which {@code LoadTableResponseParser} leaves out when
     * empty and the catalog never sets) with those two members added.
     */
    public byte[] withCredentials(
            byte[] body, @Nullable String prefix, TableIdentifier table, VendedCredential credential) {
        ObjectNode members = JSON.createObjectNode();
        ObjectNode config = members.putObject("config");
        vending.clientConfig().forEach(config::put);
        config.put(AwsClientProperties.REFRESH_CREDENTIALS_ENDPOINT, refreshEndpoint(prefix, table));
        config.put(AwsClientProperties.REFRESH_CREDENTIALS_ENABLED, "true");
        ObjectNode storage = members.putArray("storage-credentials").addObject().put("prefix", credential.prefix());
        credential.config().forEach(storage.putObject("config")::put);
        byte[] extra = members.toString().getBytes(StandardCharsets.UTF_8);

        int end = body.length - 1;
        while (end > 0 && Character.isWhitespace(body[end])) {
            end--;
        }
        if (end <= 0 || body[end] != '}') {
            throw new IllegalStateException("a LoadTableResult is a JSON object");
        }
        // body without its closing brace, a comma, then the members without their opening brace
        byte[] out = Arrays.copyOf(body, end + 1 + extra.length - 1);
        out[end] = ',';
        System.arraycopy(extra, 1, out, end + 1, extra.length - 1);
        return out;
    }

    /** The body of {@code GET …/credentials}: the caller's credentials for the table, if any. */
    public LoadCredentialsResponse credentialsResponse(HttpRequest<?> request, String location) {
        ImmutableLoadCredentialsResponse.Builder response = ImmutableLoadCredentialsResponse.builder();
        credentials(request, location)
                .ifPresent(c -> response.addCredentials(ImmutableCredential.builder()
                        .prefix(c.prefix())
                        .config(c.config())
                        .build()));
        return response.build();
    }

    /** The table's credentials endpoint relative to the catalog URI, as Iceberg's clients resolve it. */
    static String refreshEndpoint(@Nullable String prefix, TableIdentifier table) {
        return "v1/" + (prefix == null || prefix.isEmpty() ? "" : RESTUtil.encodeString(prefix) + "/")
                + "namespaces/" + RESTUtil.encodeNamespace(table.namespace(), ENCODED_NAMESPACE_SEPARATOR) + "/tables/"
                + RESTUtil.encodeString(table.name()) + "/credentials";
    }
}
