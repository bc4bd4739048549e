package dev.floe.bench.crypto;

import dev.floe.catalog.catalog.WarehouseConfig;
import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.kms.KeyProviderSettings;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.server.DevMasterKey;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.SealedColumns;
import dev.floe.catalog.store.StorageUrl;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;

/**
 * {@code loadTable} through the HTTP API with envelope encryption on vs off, two catalog servers in
 * one run with the same settings: the real server (SQLite store sealed by envelope encryption, local
 * provider) and the same server whose store uses a pass-through sealer (the only bean replaced).
 * Rounds alternate between the two so that the machine's changing load hits both alike; prints
 * throughput, the ratio, and then the KMS calls during 10,000 HTTP {@code loadTable} after warm-up.
 * Tunables (system properties): bench.tables (20), bench.threads (4), bench.rounds (6),
 * bench.round.seconds (4), bench.warmup.seconds (5).
 */
public final class LoadTableHttpBench {

    private static final int TABLES = Integer.getInteger("bench.tables", 20);
    private static final int THREADS = Integer.getInteger("bench.threads", 4);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 6);
    private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.round.seconds", 4));
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup.seconds", 5));

    /** Stores values as given: the "encryption off" peer. */
    private static final FieldSealer PASS_THROUGH = new FieldSealer() {
        @Override
        public byte[] seal(byte[] plaintext, SealContext context) {
            return plaintext.clone();
        }

        @Override
        public byte[] open(byte[] sealed, SealContext context) {
            return sealed.clone();
        }
    };

    private record Server(String name, ApplicationContext context, URI base, Warehouses replaced)
            implements AutoCloseable {
        @Override
        public void close() {
            context.close();
            if (replaced != null) {
                replaced.close(); // a runtime bean definition has no pre-destroy hook
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("floe-bench-http");
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        try (Server on = start("encryption on", dir.resolve("on"), false);
                Server off = start("encryption off", dir.resolve("off"), true)) {
            for (Server s : List.of(on, off)) {
                setUp(s.base());
            }
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(THREADS))
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (Server s : List.of(on, off)) {
                run(pool, http, s.base(), WARMUP);
            }
            long[] counts = new long[2];
            long[] nanos = new long[2];
            for (int r = 0; r < ROUNDS; r++) {
                for (int k = 0; k < 2; k++) {
                    int which = (r % 2 == 0) ? k : 1 - k; // ABBA: neither always goes first
                    Server s = which == 0 ? on : off;
                    long start = System.nanoTime();
                    counts[which] += run(pool, http, s.base(), ROUND);
                    nanos[which] += System.nanoTime() - start;
                }
            }
            double onRate = counts[0] / (nanos[0] / 1e9);
            double offRate = counts[1] / (nanos[1] / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "%n== loadTable through HTTP, %d threads, %d tables, %d x %d s per server ==%n",
                    THREADS,
                    TABLES,
                    ROUNDS,
                    ROUND.toSeconds());
            System.out.printf(Locale.ROOT, "encryption on : %8.1f loadTable/s%n", onRate);
            System.out.printf(Locale.ROOT, "encryption off: %8.1f loadTable/s%n", offRate);
            System.out.printf(
                    Locale.ROOT,
                    "ratio on/off  : %8.3f  (%.1f %% slower; goal <= 10 %%)%n",
                    onRate / offRate,
                    (1 - onRate / offRate) * 100);

            EnvelopeEncryption encryption = on.context().getBean(EnvelopeEncryption.class);
            long before = encryption.provider().remoteCalls();
            long served = 0;
            HttpClient single =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 10_000; i++) {
                served += load(single, on.base(), i % TABLES) ? 1 : 0;
            }
            System.out.printf(
                    Locale.ROOT,
                    "== KMS calls during 10,000 HTTP loadTable after warm-up: %d (%d answered 200) ==%n",
                    encryption.provider().remoteCalls() - before,
                    served);
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        System.exit(0); // HTTP client executors are not daemon threads
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /** The catalog server as {@code FloeServer.start} builds it, optionally with a pass-through store sealer. */
    private static Server start(String name, Path dir, boolean passThrough) throws Exception {
        Files.createDirectories(dir.resolve("db"));
        FloeConfig config = new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "bench", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "bench", 0)
                .flag(ConfigKeys.STORAGE_URL, "bench", dir.resolve("db").toUri().toString())
                .flag(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        "bench",
                        dir.resolve("warehouse").toUri().toString())
                .dev(true)
                .load();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.max-request-size", config.server().maxRequestBytes());
        props.put(
                "floe.dev.key-ring-file",
                DevMasterKey.keyRingFile(config, Map.of(), dir.resolve("keys"))
                        .orElseThrow()
                        .toString());
        props.put("floe.auth.enabled", false);
        for (String limit : List.of("address-per-second", "address-burst", "key-per-second", "key-burst")) {
            props.put("floe.security.rate-limit." + limit, 1_000_000_000);
        }
        var builder = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(props)
                .singletons(config);
        Warehouses replaced = null;
        if (passThrough) {
            // Same provider and DEK ring as the real server (security's API key records still use it),
            // but the metadata store's columns go through the pass-through sealer.
            EnvelopeEncryption encryption = new EnvelopeEncryption(
                    KeyProviders.create(
                            new KeyProviderSettings(
                                    "local",
                                    Map.of(
                                            "key_ring_file",
                                            props.get("floe.dev.key-ring-file").toString())),
                            Map.of()),
                    EnvelopeEncryption.Options.defaults(),
                    Clock.systemUTC());
            replaced = new Warehouses(
                    MetadataStore.open(StorageUrl.parse(config.storage().url()), ds -> {
                        encryption.attach(new DataKeyRepository(ds), ds, SealedColumns.all());
                        return PASS_THROUGH;
                    }),
                    List.of(new WarehouseConfig(
                            config.warehouse().defaultName(), config.warehouse().defaultLocation(), Map.of())),
                    config.warehouse().defaultName());
            Warehouses bean = replaced;
            builder.beanDefinitions(
                    RuntimeBeanDefinition.builder(EnvelopeEncryption.class, () -> encryption)
                            .replaces(EnvelopeEncryption.class)
                            .build(),
                    RuntimeBeanDefinition.builder(Warehouses.class, () -> bean)
                            .replaces(Warehouses.class)
                            .build());
        }
        ApplicationContext context = builder.start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        // Make sure the comparison is what it claims: the real sealer on one side, pass-through on the other.
        boolean passes = context.getBean(Warehouses.class) == replaced;
        if (passes != passThrough) {
            throw new IllegalStateException(name + ": the wrong metadata store was wired");
        }
        return new Server(name, context, URI.create("http://127.0.0.1:" + server.getPort() + "/"), replaced);
    }

    private static void setUp(URI base) throws Exception {
        try (RESTCatalog catalog = new RESTCatalog()) {
            catalog.initialize("bench", Map.of(CatalogProperties.URI, base.toString()));
            catalog.createNamespace(Namespace.of("bench"), new HashMap<>(Map.of("owner", "bench")));
            List<Types.NestedField> fields = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                fields.add(Types.NestedField.optional(
                        i, "col_" + i, i % 2 == 0 ? Types.StringType.get() : Types.LongType.get()));
            }
            Schema schema = new Schema(fields);
            PartitionSpec spec =
                    PartitionSpec.builderFor(schema).identity("col_1").build();
            for (int t = 0; t < TABLES; t++) {
                Table table = catalog.createTable(TableIdentifier.of("bench", "t" + t), schema, spec);
                table.newAppend()
                        .appendFile(DataFiles.builder(spec)
                                .withPath(table.location() + "/data/f.parquet")
                                .withFileSizeInBytes(4096)
                                .withRecordCount(100)
                                .withFormat(FileFormat.PARQUET)
                                .withPartitionPath("col_1=1")
                                .build())
                        .commit();
            }
        }
    }

    private static boolean load(HttpClient http, URI base, int table) throws Exception {
        HttpResponse<Void> r = http.send(
                HttpRequest.newBuilder(base.resolve("v1/namespaces/bench/tables/t" + table))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    /** loadTable from {@link #THREADS} threads for {@code duration}; returns how many answered 200. */
    private static long run(ExecutorService pool, HttpClient http, URI base, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<Long>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                long ok = 0;
                while (System.nanoTime() < deadline) {
                    if (load(http, base, ThreadLocalRandom.current().nextInt(TABLES))) {
                        ok++;
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return ok;
            }));
        }
        long total = 0;
        for (Future<Long> f : futures) {
            total += f.get();
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " loadTable requests did not answer 200 at " + base);
        }
        return total;
    }
}
