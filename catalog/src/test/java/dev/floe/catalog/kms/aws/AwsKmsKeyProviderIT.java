package dev.floe.catalog.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.server.EncryptionBeans;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.testing.MotoKms;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** The aws provider against moto's real AWS KMS API server on loopback, started here. */
class AwsKmsKeyProviderIT {

    private static final SealContext CTX = new SealContext("wh", "namespace", "sales", "properties");

    @TempDir
    static Path dir;

    static MotoKms moto;
    static KmsClient admin;

    @BeforeAll
    static void startMoto() {
        moto = new MotoKms(dir).start();
        // The provider uses the SDK's default credentials chain; system properties are its first link.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        admin = KmsClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(moto.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    @AfterAll
    static void stopMoto() {
        admin.close();
        moto.close();
    }

    private static String newKey() {
        return admin.createKey(b -> b.description("floe test")).keyMetadata().keyId();
    }

    private static AwsKmsKeyProvider provider(String keyId) {
        return new AwsKmsKeyProvider(
                new AwsKmsKeyProvider.Settings(keyId, "eu-west-1", moto.endpoint(), Duration.ofSeconds(5)));
    }

    @Test
    void wrapsAndUnwrapsADataKey() {
        String keyId = newKey();
        try (AwsKmsKeyProvider aws = provider(keyId);
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            dek.apply(b -> {
                b[0] = 42;
                return null;
            });
            WrappedKey wrapped = aws.wrap(dek);
            assertThat(wrapped.keyId()).startsWith("arn:aws:kms:eu-west-1:").endsWith(keyId);
            assertThat(wrapped.keyVersion()).isEqualTo("1");
            assertThat(wrapped.ciphertext()).isNotEqualTo(new byte[32]);
            try (SecretBytes back = aws.unwrap(wrapped)) {
                assertThat(back.sameContentAs(dek)).isTrue();
            }
        }
    }

    @Test
    void configuredFromTheTomlKmsTableWithItsEndpointOverride() throws Exception {
        String keyId = newKey();
        Path toml = Files.writeString(dir.resolve("aws-" + keyId + ".toml"), """
                [kms]
                provider = "aws"
                key_id = "%s"
                aws_region = "eu-west-1"
                endpoint = "%s"
                timeout_seconds = 4
                """.formatted(keyId, moto.endpoint()));
        FloeConfig config = new ConfigLoader().file(toml).load();
        try (ResilientKeyProvider aws = KeyProviders.create(EncryptionBeans.providerSettings(config.kms()), Map.of());
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            WrappedKey wrapped = aws.wrap(dek);
            assertThat(wrapped.keyId()).endsWith(keyId);
            assertThat(aws.unwrap(wrapped).sameContentAs(dek)).isTrue();
            assertThat(aws.remoteCalls()).isEqualTo(2);
        }
    }

    @Test
    void credentialsFromAMountedSecretDirectoryReplaceTheDefaultChain() throws Exception {
        // No system-property or environment credentials: only the files of [kms] credentials_dir.
        String keyId = newKey();
        Path creds = Files.createDirectories(dir.resolve("aws-credentials-" + keyId));
        Files.writeString(creds.resolve("AWS_ACCESS_KEY_ID"), "testing\n");
        Files.writeString(creds.resolve("AWS_SECRET_ACCESS_KEY"), "testing\n");
        KeyProviderSettings settings = new KeyProviderSettings(
                "aws",
                Map.of(
                        "key_id",
                        keyId,
                        "aws_region",
                        "eu-west-1",
                        "endpoint",
                        moto.endpoint().toString(),
                        "credentials_dir",
                        creds.toString()));
        String accessKey = System.clearProperty("aws.accessKeyId");
        String secretKey = System.clearProperty("aws.secretAccessKey");
        try (KeyProvider aws = KeyProviders.createRaw(settings, Map.of());
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            assertThat(aws.unwrap(aws.wrap(dek)).sameContentAs(dek)).isTrue();
        } finally {
            System.setProperty("aws.accessKeyId", accessKey);
            System.setProperty("aws.secretAccessKey", secretKey);
        }
    }

    @Test
    void webIdentityCredentialsAsIrsaProvidesThemComeThroughTheDefaultChain() throws Exception {
        // What EKS IRSA gives a pod (the operator's workloadIdentity): a projected token file and a role
        // ARN, no keys. The SDK reads the same settings from system properties first; STS is moto too.
        String keyId = newKey();
        Path token = Files.writeString(dir.resolve("web-identity-token"), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        Map<String, String> irsa = Map.of(
                "aws.webIdentityTokenFile",
                token.toString(),
                "aws.roleArn",
                "arn:aws:iam::123456789012:role/floe-catalog",
                "aws.roleSessionName",
                "floe",
                "aws.region",
                "eu-west-1",
                "aws.endpointUrlSts",
                moto.endpoint().toString());
        String accessKey = System.clearProperty("aws.accessKeyId");
        String secretKey = System.clearProperty("aws.secretAccessKey");
        irsa.forEach(System::setProperty);
        try (AwsKmsKeyProvider aws = provider(keyId);
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            WrappedKey wrapped = aws.wrap(dek);
            assertThat(aws.unwrap(wrapped).sameContentAs(dek)).isTrue();
        } finally {
            irsa.keySet().forEach(System::clearProperty);
            System.setProperty("aws.accessKeyId", accessKey);
            System.setProperty("aws.secretAccessKey", secretKey);
        }
    }

    @Test
    void aCiphertextOfAnotherKeyIsAPermanentError() {
        try (AwsKmsKeyProvider a = provider(newKey());
                AwsKmsKeyProvider b = provider(newKey())) {
            WrappedKey wrapped = a.wrap(SecretBytes.copyOf(new byte[32]));
            WrappedKey forged = new WrappedKey(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, wrapped.keyId(), "1");
            assertThatThrownBy(() -> b.unwrap(forged))
                    .isInstanceOf(KmsException.class)
                    .hasMessageContaining("Decrypt");
        }
    }

    @Test
    void serverSideRotationIsPickedUpAndRewrapMovesEveryDekToTheNewVersion() {
        String keyId = newKey();
        Path sub = dir.resolve("rotation");
        sub.toFile().mkdirs();
        DataSource db = SqliteDataKeyStores.migrated(sub);
        try (ResilientKeyProvider aws = new ResilientKeyProvider(provider(keyId), KmsCallPolicy.defaults())) {
            DataKeyRepository repo = new DataKeyRepository(db);
            DataKeyRing ring = new DataKeyRing(
                    repo, aws, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            EnvelopeFieldSealer sealer = new EnvelopeFieldSealer(ring);
            byte[] sealed = sealer.seal("marker-aws-1".getBytes(StandardCharsets.UTF_8), CTX);
            assertThat(ring.activeRecord().masterKeyVersion()).isEqualTo("1");

            admin.rotateKeyOnDemand(b -> b.keyId(keyId));
            DataKeyRing.RewrapResult result = ring.rewrapAll();
            assertThat(result.current().version()).isEqualTo("2");
            assertThat(result.rewrapped()).isEqualTo(1);
            assertThat(result.failures()).isEmpty();
            assertThat(repo.list())
                    .allSatisfy(r -> assertThat(r.masterKeyVersion()).isEqualTo("2"));
            // A rerun finds nothing left to do.
            assertThat(ring.rewrapAll().rewrapped()).isZero();

            // A fresh replica (empty cache) unwraps the rewrapped DEK through KMS and opens the old value.
            DataKeyRing fresh = new DataKeyRing(
                    repo, aws, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            assertThat(new String(new EnvelopeFieldSealer(fresh).open(sealed, CTX), StandardCharsets.UTF_8))
                    .isEqualTo("marker-aws-1");
        }
    }

    @Test
    void withTheKmsDownCachedKeysStillOpenAndUncachedOnesFailFastAs503() throws Exception {
        String keyId = newKey();
        Path sub = dir.resolve("outage");
        sub.toFile().mkdirs();
        DataSource db = SqliteDataKeyStores.migrated(sub);
        KmsCallPolicy policy = new KmsCallPolicy(
                Duration.ofSeconds(2), 2, Duration.ofMillis(50), Duration.ofMillis(100), 2, Duration.ofSeconds(60));
        try (ResilientKeyProvider aws = new ResilientKeyProvider(provider(keyId), policy)) {
            DataKeyRepository repo = new DataKeyRepository(db);
            DataKeyRing warm = new DataKeyRing(
                    repo, aws, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofHours(1));
            EnvelopeFieldSealer warmSealer = new EnvelopeFieldSealer(warm);
            byte[] sealed = warmSealer.seal("marker-outage".getBytes(StandardCharsets.UTF_8), CTX);
            long callsBefore = aws.remoteCalls();

            moto.server().stop();
            try {
                // Reads and writes with the cached DEK need no KMS call at all.
                assertThat(warmSealer.open(sealed, CTX)).isEqualTo("marker-outage".getBytes(StandardCharsets.UTF_8));
                warmSealer.seal("written during outage".getBytes(StandardCharsets.UTF_8), CTX);
                assertThat(aws.remoteCalls()).isEqualTo(callsBefore);

                DataKeyRing cold = new DataKeyRing(
                        repo, aws, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofHours(1));
                assertThatThrownBy(() -> new EnvelopeFieldSealer(cold).open(sealed, CTX))
                        .isInstanceOf(KmsUnavailableException.class)
                        .isInstanceOf(org.apache.iceberg.exceptions.ServiceUnavailableException.class);
                // The breaker is open now: the next call fails without touching the network.
                long callsWhenOpen = aws.remoteCalls();
                assertThatThrownBy(() -> new EnvelopeFieldSealer(cold).open(sealed, CTX))
                        .isInstanceOf(KmsUnavailableException.class)
                        .hasMessageContaining("circuit breaker open")
                        .satisfies(e -> assertThat(((KmsUnavailableException) e).retryAfter())
                                .isGreaterThan(Duration.ofSeconds(1)));
                assertThat(aws.remoteCalls()).isEqualTo(callsWhenOpen);
            } finally {
                moto.server().start();
            }
        }
    }
}
