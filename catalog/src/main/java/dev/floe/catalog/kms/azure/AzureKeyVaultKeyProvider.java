package dev.floe.catalog.kms.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.UnwrapResult;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code azure} provider: an RSA key in Azure Key Vault (or Managed HSM) wraps data keys with
 * {@code wrapKey}/{@code unwrapKey} RSA-OAEP-256 through the official SDK, using the JDK HTTP
 * client (no Netty). The key version is the last segment of the key id ({@code kid}) that wrapped;
 * the current one is the key's latest enabled version. Credentials come from azure-identity's
 * default chain (environment client secret or certificate, workload identity, managed identity).
 */
public final class AzureKeyVaultKeyProvider implements KeyProvider {

    private static final KeyWrapAlgorithm ALGORITHM = KeyWrapAlgorithm.RSA_OAEP_256;

    /**
     * @param vaultUrl                the vault, e.g. {@code https://my-vault.vault.azure.net}
     * @param keyName                 the RSA key's name
     * @param endpoint                URL to send requests to instead of {@code vaultUrl} (private endpoint), or null
     * @param timeout                 timeout of one HTTP call
     * @param verifyChallengeResource check that the auth challenge's resource matches the vault's domain
     *                                (only switched off for vaults outside {@code *.vault.azure.net}, e.g. tests)
     */
    public record Settings(
            String vaultUrl, String keyName, URI endpoint, Duration timeout, boolean verifyChallengeResource) {
        public Settings(String vaultUrl, String keyName, URI endpoint, Duration timeout) {
            this(vaultUrl, keyName, endpoint, timeout, true);
        }
    }

    private final Settings settings;
    private final String baseUrl;
    private final TokenCredential credential;
    private final HttpClient http;
    private final KeyClient keys;
    private final Map<String, CryptographyClient> byKeyId = new ConcurrentHashMap<>();

    public AzureKeyVaultKeyProvider(Settings settings) {
        this(settings, new DefaultAzureCredentialBuilder().build());
    }

    /** With a given credential (e.g. a client secret read from files) and the default HTTP client. */
    public AzureKeyVaultKeyProvider(Settings settings, TokenCredential credential) {
        this(
                settings,
                credential,
                new JdkHttpClientBuilder().connectionTimeout(settings.timeout()).build());
    }

    public AzureKeyVaultKeyProvider(Settings settings, TokenCredential credential, HttpClient http) {
        this.settings = settings;
        this.baseUrl = (settings.endpoint() != null ? settings.endpoint().toString() : settings.vaultUrl())
                .replaceAll("/+$", "");
        this.credential = credential;
        this.http = http;
        KeyClientBuilder b = new KeyClientBuilder()
                .vaultUrl(baseUrl)
                .credential(credential)
                .httpClient(http)
                .retryOptions(noRetries());
        if (!settings.verifyChallengeResource()) {
            b.disableChallengeResourceVerification();
        }
        this.keys = b.buildClient();
    }

    private static RetryOptions noRetries() {
        // Retries are ResilientKeyProvider's job; the SDK's own would multiply them.
        return new RetryOptions(new FixedDelayOptions(0, Duration.ZERO));
    }

    @Override
    public String kind() {
        return "azure";
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        MasterKeyVersion current = currentVersion();
        String kid = keyUrl(current.version());
        WrapResult r = call("wrapKey", () -> dataKey.apply(bytes -> crypto(kid).wrapKey(ALGORITHM, bytes)));
        return new WrappedKey(r.getEncryptedKey(), current.keyId(), versionOf(r.getKeyId(), current.version()));
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        UnwrapResult r = call(
                "unwrapKey", () -> crypto(keyUrl(wrapped.keyVersion())).unwrapKey(ALGORITHM, wrapped.ciphertext()));
        return SecretBytes.takeOwnership(r.getKey());
    }

    @Override
    public MasterKeyVersion currentVersion() {
        KeyVaultKey key = call("getKey", () -> keys.getKey(settings.keyName()));
        return new MasterKeyVersion(
                settings.vaultUrl().replaceAll("/+$", "") + "/keys/" + settings.keyName(),
                key.getProperties().getVersion());
    }

    private String keyUrl(String version) {
        return baseUrl + "/keys/" + settings.keyName() + "/" + version;
    }

    private CryptographyClient crypto(String kid) {
        return byKeyId.computeIfAbsent(kid, id -> {
            CryptographyClientBuilder b = new CryptographyClientBuilder()
                    .keyIdentifier(id)
                    .credential(credential)
                    .httpClient(http)
                    .retryOptions(noRetries())
                    // Every operation goes to the vault: the private key never leaves it, and wrapping
                    // remotely means the vault, not a cached copy of the public key, decides validity.
                    .disableKeyCaching();
            if (!settings.verifyChallengeResource()) {
                b.disableChallengeResourceVerification();
            }
            return b.buildClient();
        });
    }

    private static String versionOf(String kid, String fallback) {
        if (kid == null) {
            return fallback;
        }
        int slash = kid.lastIndexOf('/');
        return slash < 0 ? fallback : kid.substring(slash + 1);
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            String message = "azure key vault: " + operation + " with key " + settings.keyName() + " failed (HTTP "
                    + status + ")";
            if (status == 0 || status == 429 || status >= 500) {
                throw new KmsUnavailableException(message, Duration.ofSeconds(5), e);
            }
            throw new KmsException(message, e);
        } catch (RuntimeException e) {
            if (e instanceof KmsException || e instanceof KmsUnavailableException) {
                throw e;
            }
            // Connection refused, TLS and timeout errors surface as unchecked wrappers of IOExceptions.
            throw new KmsUnavailableException(
                    "azure key vault: " + operation + " with key " + settings.keyName() + " could not reach " + baseUrl
                            + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Duration.ofSeconds(5),
                    e);
        }
    }
}
