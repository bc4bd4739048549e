package dev.floe.catalog.vending;

import dev.floe.catalog.config.WarehouseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Vends S3 credentials with STS {@code AssumeRole} on the configured role, narrowed by an
 * {@link S3SessionPolicy} to one table's location and access level. The catalog's own AWS
 * credentials (the SDK's default chain: environment, web identity, instance profile) sign the STS
 * call; they are never handed out. Counts its STS calls (metric {@code floe.vending.sts.calls}).
 */
public final class S3CredentialVendor implements CredentialVendor, AutoCloseable {

    private final StsClient sts;
    private final String roleArn;
    private final Duration lifetime;
    private final S3SessionPolicy policies;
    private final AtomicLong calls = new AtomicLong();
    private final MeterRegistry meters;

    public S3CredentialVendor(StsClient sts, String roleArn, Duration lifetime, MeterRegistry meters) {
        this.sts = sts;
        this.roleArn = roleArn;
        this.lifetime = lifetime;
        this.policies = S3SessionPolicy.forRole(roleArn);
        this.meters = meters;
    }

    /**
     * An STS client for {@code [warehouse] s3_sts_endpoint} and {@code s3_region} that calls
     * AssumeRole as {@code catalogIdentity}, the identity the role trusts.
     */
    public static StsClient stsClient(WarehouseSettings.S3 s3, AwsCredentialsProvider catalogIdentity) {
        StsClientBuilder builder = StsClient.builder()
                .credentialsProvider(catalogIdentity)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)));
        if (!s3.vending().stsEndpoint().isEmpty()) {
            builder.endpointOverride(URI.create(s3.vending().stsEndpoint()));
        }
        if (!s3.region().isEmpty()) {
            builder.region(Region.of(s3.region()));
        }
        return builder.build();
    }

    @Override
    public VendedCredential vend(String location, AccessLevel level) {
        String policy = policies.document(location, level);
        calls.incrementAndGet();
        Credentials issued;
        try {
            issued = sts.assumeRole(b -> b.roleArn(roleArn)
                            .roleSessionName(sessionName(location, level))
                            .durationSeconds((int) lifetime.toSeconds())
                            .policy(policy))
                    .credentials();
            count("success");
        } catch (StsException e) {
            count("failure");
            // the error code says what is wrong (AccessDenied, RegionDisabledException, …) without
            // repeating request details; the catalog's own credentials are not in either
            throw new ServiceUnavailableException(
                    "Cannot vend storage credentials: STS AssumeRole failed (%s)", errorCode(e));
        } catch (SdkException e) {
            count("failure");
            throw new ServiceUnavailableException("Cannot vend storage credentials: STS unreachable");
        }
        return new VendedCredential(
                location,
                Map.of(
                        S3FileIOProperties.ACCESS_KEY_ID, issued.accessKeyId(),
                        S3FileIOProperties.SECRET_ACCESS_KEY, issued.secretAccessKey(),
                        S3FileIOProperties.SESSION_TOKEN, issued.sessionToken(),
                        S3FileIOProperties.SESSION_TOKEN_EXPIRES_AT_MS,
                                Long.toString(issued.expiration().toEpochMilli())),
                issued.expiration());
    }

    /** STS's error code, or the HTTP status when the error body named none (an STS-compatible service's own format). */
    private static String errorCode(StsException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null || code.isBlank() ? "HTTP " + e.statusCode() : code;
    }

    /** STS calls made so far (successful or not). */
    public long calls() {
        return calls.get();
    }

    private void count(String result) {
        if (meters != null) {
            meters.counter("floe.vending.sts.calls", "result", result).increment();
        }
    }

    /**
     * The role session name shown in the storage account's audit trail (CloudTrail): the access
     * level and a digest of the table location, so one table's sessions can be found without
     * putting names that may be confidential into another system's logs.
     */
    static String sessionName(String location, AccessLevel level) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            return "floe-" + (level == AccessLevel.READ ? "read" : "write") + "-"
                    + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public void close() {
        sts.close();
    }
}
