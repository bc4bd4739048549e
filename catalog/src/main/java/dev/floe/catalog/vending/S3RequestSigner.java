package dev.floe.catalog.vending;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs an S3 request (SigV4, service {@code s3}) with the catalog's own AWS credentials, for an
 * engine that sends it to S3 itself: the request's headers go in, the signed headers
 * ({@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256}, the session token if
 * the catalog's credentials have one) come out. Only {@link S3RequestScope}-accepted requests get
 * here. The catalog's credentials never leave this class; a signature is valid for the one request.
 */
public final class S3RequestSigner {

    /**
     * Headers left out of the signature, passed back as they came: they change between attempts of
     * one request (retry counters, invocation ids, ranges of a cached signature's later reads) and
     * Iceberg's client reuses a GET or HEAD signature for 30 seconds.
     */
    static final Set<String> UNSIGNED_HEADERS =
            Set.of("range", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-retry", "amz-sdk-request");

    /** Headers the signature itself sets: a value sent in would be the engine's, not the catalog's. */
    static final Set<String> SIGNER_HEADERS = Set.of("authorization", "x-amz-security-token");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;

    public S3RequestSigner(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    /**
     * The headers that make {@code method uri} with {@code headers} a request S3 accepts from the
     * catalog's identity. The payload is not signed ({@code UNSIGNED-PAYLOAD}), except a bulk
     * delete's ({@code deleteBody}): its SHA-256 is signed, so S3 refuses any other list of keys.
     */
    public Map<String, List<String>> sign(
            String method, URI uri, String region, Map<String, List<String>> headers, @Nullable String deleteBody) {
        if (!region.matches("[a-z0-9-]{1,32}")) {
            throw new BadRequestException("Invalid region: expected an AWS region name");
        }
        Map<String, List<String>> signed = new HashMap<>();
        Map<String, List<String>> unsigned = new HashMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!SIGNER_HEADERS.contains(lower)) {
                (UNSIGNED_HEADERS.contains(lower) ? unsigned : signed).put(name, values);
            }
        });
        SdkHttpRequest request = SdkHttpRequest.builder()
                .uri(uri)
                .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
                .headers(signed)
                .build();
        AwsCredentialsIdentity identity;
        try {
            identity = credentials.resolveCredentials();
        } catch (SdkException e) {
            // the provider's message names where it looked, never a key
            throw new ServiceUnavailableException("Cannot sign: the catalog's S3 credentials are unavailable");
        }
        SignedRequest result = signer.sign(r -> r.identity(identity)
                .request(request)
                .payload(deleteBody == null ? null : ContentStreamProvider.fromUtf8String(deleteBody))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                // S3 takes the path as it is: no double encoding, no normalisation
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, deleteBody != null)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));
        Map<String, List<String>> out = new HashMap<>(result.request().headers());
        out.putAll(unsigned);
        return out;
    }
}
