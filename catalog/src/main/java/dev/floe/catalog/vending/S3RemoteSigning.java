package dev.floe.catalog.vending;

import dev.floe.catalog.config.WarehouseSettings;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalogProperties;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * S3 remote signing ({@code [warehouse] s3_remote_signing}), what the REST layer asks when an
 * engine wants it: the client settings that point an engine's S3 FileIO at this catalog's sign
 * endpoint for one table, and the signature of a request that {@link S3RequestScope} finds inside
 * that table at the caller's access level. Engines get no storage keys; the catalog's own stay here.
 * {@link #OFF} when not configured.
 */
public final class S3RemoteSigning {

    public static final S3RemoteSigning OFF = new S3RemoteSigning(null, null, Map.of());

    /** The pre-1.11 Java and PyIceberg name of {@link RESTCatalogProperties#SIGNER_ENDPOINT}. */
    static final String LEGACY_SIGNER_ENDPOINT = "s3.signer.endpoint";

    private final S3RequestScope scope;
    private final S3RequestSigner signer;
    private final Map<String, String> clientConfig;

    private S3RemoteSigning(S3RequestScope scope, S3RequestSigner signer, Map<String, String> clientConfig) {
        this.scope = scope;
        this.signer = signer;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** Signing for the warehouses configured by {@code s3}, with the catalog's {@code credentials}; OFF unless enabled. */
    public static S3RemoteSigning s3(WarehouseSettings.S3 s3, AwsCredentialsProvider credentials) {
        if (!s3.remoteSigning()) {
            return OFF;
        }
        return new S3RemoteSigning(
                new S3RequestScope(s3.endpoint()),
                new S3RequestSigner(credentials),
                StorageCredentialVending.s3ClientConfig(s3));
    }

    public boolean enabled() {
        return signer != null;
    }

    /** Whether requests for the table at {@code location} can be signed: signing is on and the table is on {@code s3://}. */
    public boolean signs(@Nullable String location) {
        return enabled() && location != null && location.startsWith("s3://");
    }

    /**
     * The settings an engine's S3 FileIO needs to sign through {@code signEndpoint} (relative to the
     * catalog URI, which Iceberg's clients resolve it against): remote signing on, the endpoint under
     * its spec name and its older one, and the warehouse's S3 endpoint, region and addressing.
     */
    public Map<String, String> clientConfig(String signEndpoint) {
        Map<String, String> config = new LinkedHashMap<>(clientConfig);
        config.put(S3FileIOProperties.REMOTE_SIGNING_ENABLED, "true");
        config.put(RESTCatalogProperties.SIGNER_ENDPOINT, signEndpoint);
        config.put(LEGACY_SIGNER_ENDPOINT, signEndpoint);
        return config;
    }

    /**
     * The signed headers for one S3 request of an engine, if it stays inside the table at
     * {@code tableLocation} at {@code level}; else ForbiddenException (403) or BadRequestException (400).
     *
     * @param provider the spec's storage provider, {@code s3} when absent
     */
    public Map<String, List<String>> sign(
            String method,
            URI uri,
            String region,
            Map<String, List<String>> headers,
            @Nullable String body,
            @Nullable String provider,
            String tableLocation,
            AccessLevel level) {
        if (!enabled()) {
            throw new BadRequestException("Remote signing is not enabled on this catalog");
        }
        if (provider != null && !provider.toLowerCase(Locale.ROOT).equals("s3")) {
            throw new BadRequestException(
                    "Cannot sign requests for provider %s (accepted: s3)", S3RequestScope.printable(provider));
        }
        S3RequestScope.Accepted accepted = scope.check(method, uri, headers, body, tableLocation, level);
        return signer.sign(method, uri, region, headers, accepted.deleteBody());
    }
}
