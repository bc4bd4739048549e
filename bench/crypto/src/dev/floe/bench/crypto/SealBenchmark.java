package dev.floe.bench.crypto;

import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.SQLiteDataSource;

/**
 * Seal/open of a 200-byte property through {@link EnvelopeFieldSealer} (DEK from the cache, header,
 * AAD from the context) against raw JCA AES-256-GCM with a fixed key, fresh nonce and the same AAD
 * size: the difference is what envelope encryption costs per value on top of the cipher itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealBenchmark {

    private static final SealContext CTX = new SealContext("warehouse", "namespace", "db\u001fsales", "properties");
    private final SecureRandom random = new SecureRandom();

    private byte[] payload;
    private EnvelopeFieldSealer sealer;
    private DataKeyRing ring;
    private byte[] sealed;
    private SecretKeySpec rawKey;
    private byte[] rawAad;
    private byte[] rawNonce;
    private byte[] rawCiphertext;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        payload = new byte[200];
        random.nextBytes(payload);
        dir = Files.createTempDirectory("floe-bench");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("bench.db"));
        try (InputStream in = SealBenchmark.class.getResourceAsStream("/db/migration/sqlite/V20__data_keys.sql");
                Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            for (String sql : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("(?m)^--.*$", "")
                    .split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
        }
        byte[] master = new byte[32];
        random.nextBytes(master);
        ResilientKeyProvider provider = new ResilientKeyProvider(
                LocalKeyProvider.fromEnvironment(
                        "K", Map.of("K", Base64.getEncoder().encodeToString(master))),
                KmsCallPolicy.defaults());
        ring = new DataKeyRing(
                new DataKeyRepository(ds),
                provider,
                new DataKeyCache(64, Duration.ofHours(1)),
                Clock.systemUTC(),
                Duration.ofSeconds(30));
        sealer = new EnvelopeFieldSealer(ring);
        sealed = sealer.seal(payload, CTX);

        byte[] key = new byte[32];
        random.nextBytes(key);
        rawKey = new SecretKeySpec(key, "AES");
        rawAad = new byte[19 + CTX.associatedData().length]; // same AAD size as the sealer uses
        rawNonce = new byte[12];
        random.nextBytes(rawNonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        c.updateAAD(rawAad);
        rawCiphertext = c.doFinal(payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
    }

    @Benchmark
    public byte[] envelopeSeal() {
        return sealer.seal(payload, CTX);
    }

    @Benchmark
    public byte[] envelopeOpen() {
        return sealer.open(sealed, CTX);
    }

    @Benchmark
    public byte[] rawJcaEncrypt() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce));
        c.updateAAD(rawAad);
        return c.doFinal(payload);
    }

    @Benchmark
    public byte[] rawJcaDecrypt() throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        c.updateAAD(rawAad);
        return c.doFinal(rawCiphertext);
    }
}
