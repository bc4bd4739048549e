package dev.floe.catalog.kms.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKeyName;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import com.google.protobuf.ByteString;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code gcp} provider: Google Cloud KMS symmetric encrypt/decrypt through the official client
 * over its HTTP/JSON transport (no gRPC channel needed). The key version used is the
 * {@code cryptoKeyVersions/N} that Cloud KMS names in every encrypt response; the current one is
 * the crypto key's primary version. Cloud KMS has no server-side re-encrypt, so rewrap decrypts
 * and encrypts again. Credentials: Application Default Credentials (workload identity, metadata
 * server, {@code GOOGLE_APPLICATION_CREDENTIALS}) or the key file in {@code credentials_file}.
 */
public final class GcpKmsKeyProvider implements KeyProvider {

    private static final Set<StatusCode.Code> TRANSIENT = Set.of(
            StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.DEADLINE_EXCEEDED,
            StatusCode.Code.RESOURCE_EXHAUSTED,
            StatusCode.Code.INTERNAL,
            StatusCode.Code.ABORTED,
            StatusCode.Code.UNKNOWN);

    /**
     * @param endpoint        endpoint override (e.g. a private service connect address), or null
     * @param credentialsFile service-account key file, or null for Application Default Credentials
     */
    public record Settings(
            String projectId,
            String location,
            String keyRing,
            String cryptoKey,
            URI endpoint,
            Path credentialsFile,
            Duration timeout) {}

    private final Settings settings;
    private final CryptoKeyName keyName;
    private final KeyManagementServiceClient client;

    public GcpKmsKeyProvider(Settings settings) {
        this(settings, credentials(settings));
    }

    public GcpKmsKeyProvider(Settings settings, CredentialsProvider credentials) {
        this.settings = settings;
        this.keyName =
                CryptoKeyName.of(settings.projectId(), settings.location(), settings.keyRing(), settings.cryptoKey());
        try {
            KeyManagementServiceSettings.Builder b =
                    KeyManagementServiceSettings.newHttpJsonBuilder().setCredentialsProvider(credentials);
            if (settings.endpoint() != null) {
                b.setEndpoint(settings.endpoint().toString());
            }
            // One attempt per call with the configured deadline: retries are ResilientKeyProvider's job.
            RetrySettings once = RetrySettings.newBuilder()
                    .setMaxAttempts(1)
                    .setTotalTimeoutDuration(settings.timeout())
                    .setInitialRpcTimeoutDuration(settings.timeout())
                    .setMaxRpcTimeoutDuration(settings.timeout())
                    .build();
            b.encryptSettings().setRetrySettings(once);
            b.decryptSettings().setRetrySettings(once);
            b.getCryptoKeySettings().setRetrySettings(once);
            this.client = KeyManagementServiceClient.create(b.build());
        } catch (IOException e) {
            throw new IllegalArgumentException("[kms] gcp: cannot create the Cloud KMS client: " + e.getMessage(), e);
        }
    }

    private static CredentialsProvider credentials(Settings s) {
        List<String> scopes = List.of("https://www.googleapis.com/auth/cloudkms");
        try {
            if (s.credentialsFile() != null) {
                try (InputStream in = Files.newInputStream(s.credentialsFile())) {
                    return FixedCredentialsProvider.create(
                            GoogleCredentials.fromStream(in).createScoped(scopes));
                }
            }
            return FixedCredentialsProvider.create(
                    GoogleCredentials.getApplicationDefault().createScoped(scopes));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "[kms] gcp: no usable credentials ("
                            + (s.credentialsFile() != null
                                    ? "credentials_file " + s.credentialsFile()
                                    : "Application Default Credentials")
                            + "): " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String kind() {
        return "gcp";
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        EncryptResponse r =
                call("encrypt", () -> dataKey.apply(bytes -> client.encrypt(keyName, ByteString.copyFrom(bytes))));
        return new WrappedKey(r.getCiphertext().toByteArray(), keyName.toString(), versionOf(r.getName()));
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        DecryptResponse r = call(
                "decrypt",
                () -> client.decrypt(CryptoKeyName.parse(wrapped.keyId()), ByteString.copyFrom(wrapped.ciphertext())));
        return SecretBytes.takeOwnership(r.getPlaintext().toByteArray());
    }

    @Override
    public MasterKeyVersion currentVersion() {
        CryptoKey key = call("getCryptoKey", () -> client.getCryptoKey(keyName));
        if (!key.hasPrimary()) {
            throw new KmsException("gcp kms: crypto key " + keyName + " has no primary version");
        }
        return new MasterKeyVersion(
                keyName.toString(), versionOf(key.getPrimary().getName()));
    }

    @Override
    public void close() {
        client.close();
    }

    private static String versionOf(String versionName) {
        int slash = versionName.lastIndexOf('/');
        return slash < 0 ? versionName : versionName.substring(slash + 1);
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (ApiException e) {
            String message = "gcp kms: " + operation + " on " + keyName + " failed ("
                    + e.getStatusCode().getCode() + ")";
            if (TRANSIENT.contains(e.getStatusCode().getCode())) {
                throw new KmsUnavailableException(message, Duration.ofSeconds(5), e);
            }
            throw new KmsException(message + ": " + e.getMessage(), e);
        }
    }
}
