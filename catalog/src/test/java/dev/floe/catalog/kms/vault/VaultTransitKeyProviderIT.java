package dev.floe.catalog.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.KeyRotation;
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
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.SealedValueRepository;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import dev.floe.catalog.testing.VaultServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault provider against a real server of Vault's API (OpenBao, Transit engine) on loopback,
 * installed by {@code tools/kms/install-openbao.sh} and started here: wrap/unwrap, server-side key
 * rotation followed by our rewrap, and a KMS outage in the middle of catalog traffic (stop the
 * server, assert, start it again, assert recovery without restarting the catalog).
 */
class VaultTransitKeyProviderIT {

    private static final SealContext CTX = new SealContext("wh", "namespace", "sales", "properties");

    @TempDir
    static Path dir;

    static VaultServer vault;

    @BeforeAll
    static void startVault() {
        vault = new VaultServer(dir.resolve("vault")).start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    private static String newKey() {
        String name = "floe-" + UUID.randomUUID().toString().substring(0, 8);
        vault.createTransitKey(name);
        return name;
    }

    private static VaultTransitKeyProvider provider(String key) {
        return new VaultTransitKeyProvider(new VaultTransitKeyProvider.Settings(
                vault.address(),
                "transit",
                key,
                new VaultTransitKeyProvider.TokenAuth(vault::rootToken),
                Duration.ofSeconds(3)));
    }

    private static Path newDir(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name + "-" + UUID.randomUUID()));
    }

    @Test
    void wrapsAndUnwrapsThroughTransit() {
        try (VaultTransitKeyProvider p = provider(newKey())) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            SecretBytes dek = SecretBytes.copyOf(raw);
            WrappedKey wrapped = p.wrap(dek);
            assertThat(new String(wrapped.ciphertext(), StandardCharsets.UTF_8)).startsWith("vault:v1:");
            assertThat(wrapped.keyVersion()).isEqualTo("1");
            assertThat(p.currentVersion().version()).isEqualTo("1");
            assertThat(p.unwrap(wrapped).sameContentAs(dek)).isTrue();
            WrappedKey forged = new WrappedKey(
                    "vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.UTF_8), wrapped.keyId(), "1");
            assertThatThrownBy(() -> p.unwrap(forged))
                    .isInstanceOf(KmsException.class)
                    .hasMessageContaining("HTTP 400");
        }
    }

    @Test
    void theTokenComesFromTheFileVaultTokenFileNamesWithNothingInTheEnvironment() throws Exception {
        // How the operator passes a KmsBinding's token: a mounted Secret file, not VAULT_TOKEN.
        Path tokenFile = Files.writeString(newDir("token").resolve("token"), vault.rootToken() + "\n");
        KeyProviderSettings settings = new KeyProviderSettings(
                "vault",
                Map.of(
                        "vault_addr",
                        vault.address(),
                        "key_name",
                        newKey(),
                        "vault_token_file",
                        tokenFile.toString(),
                        "timeout_seconds",
                        "3"));
        try (KeyProvider p = KeyProviders.createRaw(settings, Map.of());
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            assertThat(p.unwrap(p.wrap(dek)).sameContentAs(dek)).isTrue();
        }
    }

    @Test
    void serverSideRotationThenRewrapLetsOldVersionsBeDisabled() throws Exception {
        String key = newKey();
        try (ResilientKeyProvider p = new ResilientKeyProvider(provider(key), KmsCallPolicy.defaults())) {
            DataKeyRepository repo = new DataKeyRepository(SqliteDataKeyStores.migrated(newDir("rotation")));
            DataKeyRing ring = new DataKeyRing(
                    repo, p, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            byte[] sealed = new EnvelopeFieldSealer(ring).seal("marker-vault".getBytes(StandardCharsets.UTF_8), CTX);

            vault.rotateTransitKey(key);
            DataKeyRing.RewrapResult result = ring.rewrapAll();
            assertThat(result.current().version()).isEqualTo("2");
            assertThat(result.rewrapped()).isEqualTo(1);
            assertThat(repo.list())
                    .allSatisfy(r -> assertThat(new String(r.wrapped().ciphertext(), StandardCharsets.UTF_8))
                            .startsWith("vault:v2:"));

            // Version 1 can no longer decrypt anything; the rewrapped DEK still opens in a fresh replica.
            vault.setMinDecryptionVersion(key, 2);
            DataKeyRing fresh = new DataKeyRing(
                    repo, p, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            assertThat(new EnvelopeFieldSealer(fresh).open(sealed, CTX))
                    .isEqualTo("marker-vault".getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Replica(MetadataStore store, EnvelopeEncryption encryption, FloeCatalog catalog)
            implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            encryption.close();
        }
    }

    private static Replica replica(StorageUrl url, String key, Path warehouse) {
        KmsCallPolicy policy = new KmsCallPolicy(
                Duration.ofSeconds(2), 2, Duration.ofMillis(100), Duration.ofMillis(200), 2, Duration.ofSeconds(2));
        EnvelopeEncryption enc = new EnvelopeEncryption(
                new ResilientKeyProvider(provider(key), policy),
                new EnvelopeEncryption.Options(64, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ZERO, 100),
                Clock.systemUTC());
        MetadataStore store =
                MetadataStore.open(url, ds -> enc.attach(new DataKeyRepository(ds), new SealedValueRepository(ds)));
        FloeCatalog catalog = new FloeCatalog(store, "wh");
        catalog.initialize(
                "floe",
                Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString()));
        return new Replica(store, enc, catalog);
    }

    @Test
    void aVaultOutageKeepsCachedReadsWorkingFailsTheRestWith503AndRecoversByItself() throws Exception {
        String key = newKey();
        Path base = newDir("outage");
        StorageUrl url = StorageUrl.sqliteIn(base.resolve("db"));
        Path warehouse = base.resolve("warehouse");
        try (Replica warm = replica(url, key, warehouse);
                Replica cold = replica(url, key, warehouse)) {
            warm.catalog().createNamespace(Namespace.of("before"), Map.of("owner", "marker-before"));

            vault.stop();
            try {
                // Cached data key: reads and writes go on with no KMS call.
                long calls = warm.encryption().provider().remoteCalls();
                assertThat(warm.catalog().loadNamespaceMetadata(Namespace.of("before")))
                        .containsEntry("owner", "marker-before");
                warm.catalog().createNamespace(Namespace.of("during"), Map.of("owner", "marker-during"));
                assertThat(warm.encryption().provider().remoteCalls()).isEqualTo(calls);

                // A replica that never unwrapped the key: 503-class failure, and a write leaves nothing behind.
                assertThatThrownBy(() -> cold.catalog().loadNamespaceMetadata(Namespace.of("before")))
                        .isInstanceOf(ServiceUnavailableException.class);
                assertThatThrownBy(() -> cold.catalog().createNamespace(Namespace.of("lost"), Map.of("k", "v")))
                        .isInstanceOf(ServiceUnavailableException.class)
                        .satisfies(e -> assertThat(((KmsUnavailableException) e).retryAfter())
                                .isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
                assertThat(warm.catalog().namespaceExists(Namespace.of("lost"))).isFalse();
                assertThat(cold.encryption().provider().breakerState().name()).isIn("OPEN", "HALF_OPEN");
            } finally {
                vault.start();
            }

            // Vault is back: the cold replica recovers by itself once the breaker lets a trial call through.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(ServiceUnavailableException.class)
                    .untilAsserted(() -> assertThat(cold.catalog().loadNamespaceMetadata(Namespace.of("during")))
                            .containsEntry("owner", "marker-during"));
            cold.catalog().createNamespace(Namespace.of("after"), Map.of("owner", "marker-after"));
            assertThat(warm.catalog().loadNamespaceMetadata(Namespace.of("after")))
                    .containsEntry("owner", "marker-after");
            assertThat(cold.encryption().provider().breakerState().name()).isEqualTo("CLOSED");

            // And a full rotation with re-encryption runs against the restarted Vault.
            vault.rotateTransitKey(key);
            KeyRotation.Report report = cold.encryption().rotation().rotate(true);
            assertThat(report.ok()).isTrue();
            assertThat(report.masterKeyVersion()).isEqualTo("2");
            assertThat(report.rewrapped()).isEqualTo(1);
            assertThat(report.resealed()).isGreaterThanOrEqualTo(3); // before, during, after
            assertThat(report.remaining()).isZero();
            assertThat(report.destroyed()).hasSize(1);
        }
    }
}
