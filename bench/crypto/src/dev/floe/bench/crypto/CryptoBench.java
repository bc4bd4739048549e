package dev.floe.bench.crypto;

import dev.floe.catalog.catalog.FloeCatalog;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.SealedColumns;
import dev.floe.catalog.store.StorageUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SealBenchmark} and prints envelope/raw ratios, then counts KMS calls over 10,000
 * {@code loadTable} calls on a warmed-up catalog (metadata store on SQLite, envelope encryption with
 * the local provider behind the same {@link ResilientKeyProvider} production uses).
 */
public final class CryptoBench {

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(SealBenchmark.class.getSimpleName())
                        .build())
                .run();
        Map<String, Double> ops = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            ops.put(
                    name.substring(name.lastIndexOf('.') + 1),
                    r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("== seal/open of a 200-byte value (ops/s, higher is better) ==");
        System.out.printf(
                "seal: envelope %.0f  raw JCA %.0f  ratio envelope/raw %.2f%n",
                ops.get("envelopeSeal"), ops.get("rawJcaEncrypt"), ops.get("envelopeSeal") / ops.get("rawJcaEncrypt"));
        System.out.printf(
                "open: envelope %.0f  raw JCA %.0f  ratio envelope/raw %.2f%n",
                ops.get("envelopeOpen"), ops.get("rawJcaDecrypt"), ops.get("envelopeOpen") / ops.get("rawJcaDecrypt"));

        kmsCallsPerLoads(10_000);
    }

    private static void kmsCallsPerLoads(int loads) throws Exception {
        Path dir = Files.createTempDirectory("floe-bench-kms");
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        ResilientKeyProvider provider = new ResilientKeyProvider(
                LocalKeyProvider.fromEnvironment(
                        "K", Map.of("K", Base64.getEncoder().encodeToString(master))),
                KmsCallPolicy.defaults());
        EnvelopeEncryption enc =
                new EnvelopeEncryption(provider, EnvelopeEncryption.Options.defaults(), Clock.systemUTC());
        try (MetadataStore store = MetadataStore.open(
                StorageUrl.sqliteIn(dir.resolve("db")),
                ds -> enc.attach(new DataKeyRepository(ds), ds, SealedColumns.all()))) {
            FloeCatalog catalog = new FloeCatalog(store, "wh");
            catalog.initialize(
                    "bench",
                    Map.of(
                            CatalogProperties.WAREHOUSE_LOCATION,
                            dir.resolve("wh").toUri().toString()));
            catalog.createNamespace(Namespace.of("db"));
            Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
            for (int i = 0; i < 10; i++) {
                catalog.createTable(TableIdentifier.of("db", "t" + i), schema);
            }
            for (int i = 0; i < 1_000; i++) { // warm-up
                catalog.loadTable(TableIdentifier.of("db", "t" + (i % 10)));
            }
            long before = provider.remoteCalls();
            long start = System.nanoTime();
            for (int i = 0; i < loads; i++) {
                catalog.loadTable(TableIdentifier.of("db", "t" + (i % 10)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "== KMS calls during %,d loadTable after warm-up: %d (%.0f loadTable/s, catalog API, SQLite) ==%n",
                    loads, provider.remoteCalls() - before, loads / seconds);
        } finally {
            enc.close();
        }
    }
}
