package dev.floe.catalog.kms.aws;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * The {@code aws} provider: AWS KMS through the AWS SDK v2 (URL-connection HTTP client, no Netty).
 * Data keys are wrapped with {@code Encrypt}, unwrapped with {@code Decrypt} and rotated with
 * {@code ReEncrypt}, which never returns the data key. AWS does not expose key-material versions in
 * these calls, so the version reported is the number of rotations {@code ListKeyRotations} lists
 * plus one: after an automatic or on-demand rotation, every DEK wrapped earlier counts as old and
 * {@code rotate-keys} re-encrypts it under the new material. Credentials come from the default
 * chain (environment, web identity / IRSA, profile, container and instance roles).
 */
public final class AwsKmsKeyProvider implements KeyProvider {

    /** Encryption context bound to every wrapped DEK: a ciphertext made for something else won't do. */
    private static final Map<String, String> CONTEXT = Map.of("floe-purpose", "data-key");

    /**
     * @param keyId    KMS key id, ARN or alias ({@code [kms] key_id})
     * @param region   AWS region ({@code [kms] aws_region})
     * @param endpoint endpoint override (e.g. a VPC endpoint or an emulator), or null
     * @param timeout  timeout of one API call
     */
    public record Settings(String keyId, String region, URI endpoint, Duration timeout) {
        public Settings {
            if (keyId == null || keyId.isBlank()) {
                throw new IllegalArgumentException("[kms] key_id is required for provider aws (key id, ARN or alias)");
            }
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("[kms] aws_region is required for provider aws, e.g. eu-west-1");
            }
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private final Settings settings;
    private final KmsClient client;

    public AwsKmsKeyProvider(Settings settings) {
        this(settings, DefaultCredentialsProvider.builder().build());
    }

    public AwsKmsKeyProvider(Settings settings, AwsCredentialsProvider credentials) {
        this.settings = settings;
        KmsClientBuilder builder = KmsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout()))
                // Retries and timeouts are ResilientKeyProvider's job; the SDK's own would multiply them.
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(settings.timeout()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.client = builder.build();
    }

    @Override
    public String kind() {
        return "aws";
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        MasterKeyVersion version = currentVersion();
        EncryptResponse r = call(
                "Encrypt",
                () -> dataKey.apply(bytes -> client.encrypt(b -> b.keyId(settings.keyId())
                        .plaintext(SdkBytes.fromByteArray(bytes))
                        .encryptionContext(CONTEXT))));
        return new WrappedKey(r.ciphertextBlob().asByteArray(), r.keyId(), version.version());
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        DecryptResponse r = call(
                "Decrypt",
                () -> client.decrypt(b -> b.keyId(wrapped.keyId())
                        .ciphertextBlob(SdkBytes.fromByteArray(wrapped.ciphertext()))
                        .encryptionContext(CONTEXT)));
        return SecretBytes.takeOwnership(r.plaintext().asByteArray());
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped) {
        MasterKeyVersion version = currentVersion();
        ReEncryptResponse r = call(
                "ReEncrypt",
                () -> client.reEncrypt(b -> b.sourceKeyId(wrapped.keyId())
                        .destinationKeyId(settings.keyId())
                        .ciphertextBlob(SdkBytes.fromByteArray(wrapped.ciphertext()))
                        .sourceEncryptionContext(CONTEXT)
                        .destinationEncryptionContext(CONTEXT)));
        return new WrappedKey(r.ciphertextBlob().asByteArray(), r.keyId(), version.version());
    }

    @Override
    public MasterKeyVersion currentVersion() {
        String arn = call("DescribeKey", () -> client.describeKey(b -> b.keyId(settings.keyId())))
                .keyMetadata()
                .arn();
        long rotations = call(
                "ListKeyRotations",
                () -> client.listKeyRotationsPaginator(b -> b.keyId(arn)).rotations().stream()
                        .count());
        return new MasterKeyVersion(arn, Long.toString(rotations + 1));
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (AwsServiceException e) {
            String message = "aws kms: " + operation + " on key " + settings.keyId() + " failed (HTTP " + e.statusCode()
                    + " " + e.awsErrorDetails().errorCode() + ")";
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new KmsUnavailableException(message, Duration.ofSeconds(5), e);
            }
            throw new KmsException(message + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkClientException e) {
            throw new KmsUnavailableException(
                    "aws kms: " + operation + " on key " + settings.keyId()
                            + " could not reach "
                            + (settings.endpoint() != null ? settings.endpoint() : "AWS KMS in " + settings.region())
                            + ": " + e.getMessage(),
                    Duration.ofSeconds(5),
                    e);
        }
    }
}
