package dev.floe.catalog.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.vending.S3RemoteSigning;
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
 * clients fetch new credentials before these expire. With {@code remote-signing} instead, the
 * {@code config} that sends the engine's S3 requests to this table's {@code …/sign} endpoint. The credentials are added to a response on
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
    private final S3RemoteSigning signing;
    private final VendingAccess access;

    public VendedCredentialResponses(StorageCredentialVending vending, S3RemoteSigning signing, VendingAccess access) {
        this.vending = vending;
        this.signing = signing;
        this.access = access;
    }

    /** What a table response gives the caller for storage access. */
    public enum Delegation {
        /** Nothing: the engine uses its own storage credentials. */
        NONE,
        /** A {@code storage-credentials} entry scoped to the table. */
        VENDED_CREDENTIALS,
        /** The settings that make the engine's S3 FileIO send its requests to the sign endpoint. */
        REMOTE_SIGNING
    }

    /**
     * What the header asks for, among what this catalog offers. The spec's values are
     * {@code vended-credentials} and {@code remote-signing}, comma-separated; anything else is a 400.
     * When both are asked for and offered, vended credentials win (the engine then talks to S3
     * without a round trip to the catalog per request). A mode that is asked for but not configured
     * gives nothing, and the engine uses its own credentials.
     */
    public Delegation requested(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return Delegation.NONE;
        }
        boolean vended = false;
        boolean signed = false;
        for (String mode : header.split(",")) {
            String value = mode.trim().toLowerCase(Locale.ROOT);
            if (value.equals(VENDED)) {
                vended = true;
            } else if (value.equals(REMOTE_SIGNING)) {
                signed = true;
            } else {
                throw new BadRequestException(
                        "Invalid %s: %s (accepted: %s, %s)",
                        HEADER, Identifiers.printable(mode.trim()), VENDED, REMOTE_SIGNING);
            }
        }
        if (vended && vending.enabled()) {
            return Delegation.VENDED_CREDENTIALS;
        }
        return signed && signing.enabled() ? Delegation.REMOTE_SIGNING : Delegation.NONE;
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
        config.put(AwsClientProperties.REFRESH_CREDENTIALS_ENDPOINT, tableEndpoint(prefix, table, "credentials"));
        config.put(AwsClientProperties.REFRESH_CREDENTIALS_ENABLED, "true");
        ObjectNode storage = members.putArray("storage-credentials").addObject().put("prefix", credential.prefix());
        credential.config().forEach(storage.putObject("config")::put);
        return withMembers(body, members);
    }

    /**
     * {@code body} with a {@code config} member that makes the engine's S3 FileIO sign through this
     * table's sign endpoint, when the table is on S3; else {@code body} unchanged (the engine uses its
     * own credentials).
     */
    public byte[] withSigning(byte[] body, @Nullable String prefix, TableIdentifier table, String location) {
        if (!signing.signs(location)) {
            return body;
        }
        ObjectNode members = JSON.createObjectNode();
        signing.clientConfig(tableEndpoint(prefix, table, "sign")).forEach(members.putObject("config")::put);
        return withMembers(body, members);
    }

    /** {@code body} (a JSON object) with the members of {@code members} added at its end. */
    private static byte[] withMembers(byte[] body, ObjectNode members) {
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

    /** A table's sub-resource ({@code credentials}, {@code sign}) relative to the catalog URI, as Iceberg's clients resolve it. */
    static String tableEndpoint(@Nullable String prefix, TableIdentifier table, String resource) {
        return "v1/" + (prefix == null || prefix.isEmpty() ? "" : RESTUtil.encodeString(prefix) + "/")
                + "namespaces/" + RESTUtil.encodeNamespace(table.namespace(), ENCODED_NAMESPACE_SEPARATOR) + "/tables/"
                + RESTUtil.encodeString(table.name()) + "/" + resource;
    }
}
