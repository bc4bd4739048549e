package dev.floe.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Starts Floe ({@code floe.jar serve --dev}, SQLite store) and Iceberg's reference
 * {@code RESTCatalogServer} (JdbcCatalog on a SQLite file) as separate processes on loopback,
 * creates the same tables in each, then measures loadTable and commit throughput and latency at
 * several client thread counts over raw HTTP (so client-side caching plays no part) and prints
 * Floe/reference ratios.
 */
public final class CatalogLoadBench {

    /**
     * A running server; {@code token} is the bearer credential it wants, or null; {@code delegation}
     * the {@code X-Iceberg-Access-Delegation} value its clients send, or null.
     */
    record Server(String name, Process process, String base, String token, String delegation) {
        Server(String name, Process process, String base, String token) {
            this(name, process, base, token, null);
        }
    }

    /** {@code stsPer10k}: STS calls the server made per 10,000 operations measured (NaN: not counted). */
    record Result(
            String server,
            String op,
            int threads,
            double opsPerSec,
            double p50Ms,
            double p99Ms,
            long errors,
            double loadAverage,
            double cpuMicrosPerOp,
            double stsPer10k) {}

    static final int TABLES = Integer.getInteger("bench.tables", 200);
    static final int[] THREADS = Arrays.stream(
                    System.getProperty("bench.threads", "1,4,16").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 3));
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 8));
    /** Which servers to run ({@code floe}, {@code reference}); one alone is useful when profiling. */
    static final List<String> SERVERS =
            List.of(System.getProperty("bench.servers", "floe,reference").split(","));
    /** Which operations to measure ({@code loadTable}, {@code commit}). */
    static final List<String> OPS =
            List.of(System.getProperty("bench.ops", "loadTable,commit").split(","));
    /** Extra JVM options for the Floe process, space separated (e.g. a JFR recording). */
    static final String FLOE_JVM = System.getProperty("bench.floe.jvm", "");
    /** The HTTP client: {@code iceberg} (Iceberg's Java transport, the default) or {@code jdk}; see {@link BenchClient}. */
    static final String CLIENT = System.getProperty("bench.client", "iceberg");
    /**
     * Floe runs at its default settings: authentication on ({@code --dev}'s admin API key, sent as a
     * bearer token on every request, as an engine sends its credential) and the default rate limits.
     * {@code -Dbench.floe.auth=false} switches authentication off (the reference has none either way).
     */
    static final boolean FLOE_AUTH = Boolean.parseBoolean(System.getProperty("bench.floe.auth", "true"));
    /** {@code -Dbench.floe.rate-limits=off} raises Floe's rate limits out of reach (earlier runs did). */
    static final boolean FLOE_LIMITS_OFF = "off".equals(System.getProperty("bench.floe.rate-limits", "default"));
    /**
     * {@code -Dbench.vending=on}: instead of Floe on a local warehouse, one Floe process on an
     * {@code s3://} warehouse served by moto's S3/STS ({@code tools/s3/moto_sts_s3.py}) with
     * credential vending configured, measured as two servers: {@code floe-s3} (clients send no
     * delegation header) and {@code floe-s3-vended} (they ask for vended credentials).
     */
    static final boolean VENDING = "on".equals(System.getProperty("bench.vending", "off"));

    public static void main(String[] args) throws Exception {
        Path floeJar =
                Path.of(args.length > 0 ? args[0] : "catalog/target/floe.jar").toAbsolutePath();
        Path work = Files.createTempDirectory("floe-bench");
        List<Server> servers = new ArrayList<>();
        try {
            if (VENDING) {
                servers.addAll(VendingSetup.start(floeJar, work.resolve("floe-s3"), FLOE_LIMITS_OFF));
            } else if (SERVERS.contains("floe")) {
                servers.add(startFloe(floeJar, work.resolve("floe")));
            }
            if (SERVERS.contains("reference")) {
                // with vending on, the reference's warehouse is a bucket of the same S3 server, so both
                // pay the same object-store round trips
                servers.add(startReference(work.resolve("reference"), VENDING ? VendingSetup.referenceS3() : Map.of()));
            }
            Map<String, String> bases = new HashMap<>();
            for (Server server : servers) {
                if (!server.name().equals("floe-s3-vended")) { // the same process and tables as floe-s3
                    System.out.printf("%s: creating %d tables …%n", server.name(), TABLES);
                    setUp(server);
                }
                bases.put(server.name(), prefixedBase(server));
            }
            if (VENDING) {
                VendingSetup.firstLoads(servers, bases, TABLES);
            }
            // The machine may be shared: measure the servers alternately for each (operation, thread
            // count), starting with a different one each round, so a burst of outside load does not
            // land on one server's whole series.
            try (ClientFloor floor = new ClientFloor();
                    BenchClient client = BenchClient.create(CLIENT, 1)) {
                System.out.printf(
                        Locale.ROOT,
                        "client: %s; its own cost (1 thread, a server that does no work): %.0f µs" + " per request%n",
                        CLIENT,
                        floor.microsPerRequest(client, 3));
            }
            List<Result> results = new ArrayList<>();
            int round = 0;
            for (String op : OPS) {
                for (int threads : THREADS) {
                    List<Server> order = new ArrayList<>(servers);
                    if (round++ % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (Server server : order) {
                        results.add(measure(server, op, threads, bases.get(server.name()), op.equals("commit")));
                    }
                }
            }
            if (VENDING) {
                VendingSetup.print(results);
            }
            print(results);
        } finally {
            stopAll(servers);
        }
        // the HTTP clients' executor threads are not daemons: end the JVM explicitly
        System.exit(0);
    }

    static void stopAll(List<Server> servers) throws InterruptedException {
        for (Server server : servers) {
            server.process().destroy();
            server.process().waitFor(20, TimeUnit.SECONDS);
        }
    }

    static Server startFloe(Path jar, Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g"));
        if (!FLOE_JVM.isBlank()) {
            command.addAll(List.of(FLOE_JVM.trim().split("\\s+")));
        }
        if (FLOE_LIMITS_OFF) {
            command.addAll(List.of(
                    "-Dfloe.security.rate-limit.address-per-second=1000000000",
                    "-Dfloe.security.rate-limit.address-burst=1000000000",
                    "-Dfloe.security.rate-limit.key-per-second=1000000000",
                    "-Dfloe.security.rate-limit.key-burst=1000000000"));
        }
        command.addAll(List.of(
                // serve allows authentication off with --dev only
                "-Dfloe.auth.enabled=" + FLOE_AUTH,
                "-jar",
                jar.toString(),
                "serve",
                "--dev",
                "--port",
                String.valueOf(port),
                "--storage",
                dir.resolve("db").toUri().toString(),
                "--warehouse",
                dir.resolve("warehouse").toUri().toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("floe.log").toFile());
        pb.environment().remove("FLOE_MASTER_KEY");
        Process process = pb.start();
        String base = "http://127.0.0.1:" + port + "/";
        awaitPort(port, process, dir.resolve("floe.log"));
        String token = FLOE_AUTH
                ? Files.readString(dir.resolve(".floe").resolve("dev-admin.key"))
                        .trim()
                : null;
        return new Server("floe", process, base, token);
    }

    /** @param extraEnv RESTCatalogServer's {@code CATALOG_*} settings added to the defaults (a warehouse elsewhere, its FileIO) */
    static Server startReference(Path dir, Map<String, String> extraEnv) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin(),
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.apache.iceberg.rest.RESTCatalogServer")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("reference.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("CATALOG_URI", "jdbc:sqlite:" + dir.resolve("reference.db"));
        env.put("CATALOG_WAREHOUSE", dir.resolve("warehouse").toUri().toString());
        env.put("CATALOG_JDBC_SCHEMA__VERSION", "V1");
        env.put("CATALOG_REST_PORT", String.valueOf(port));
        env.putAll(extraEnv);
        Process process = pb.start();
        awaitPort(port, process, dir.resolve("reference.log"));
        return new Server("reference", process, "http://127.0.0.1:" + port + "/", null);
    }

    /** The base URL including the warehouse prefix the server advertises in /v1/config, if any. */
    static String prefixedBase(Server server) throws Exception {
        String base = server.base();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "v1/config"));
        if (server.token() != null) {
            request.header("Authorization", "Bearer " + server.token());
        }
        String config =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"prefix\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(config);
        return m.find() ? base + "v1/" + m.group(1) + "/" : base + "v1/";
    }

    static void setUp(Server server) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(CatalogProperties.URI, server.base());
        if (server.token() != null) {
            props.put("token", server.token());
        }
        try (RESTCatalog catalog = new RESTCatalog()) {
            catalog.initialize("bench", props);
            catalog.createNamespace(Namespace.of("bench"), new HashMap<>());
            List<Types.NestedField> fields = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                fields.add(Types.NestedField.optional(
                        i,
                        "col_" + i,
                        i % 3 == 0
                                ? Types.StringType.get()
                                : i % 3 == 1 ? Types.LongType.get() : Types.TimestampType.withZone()));
            }
            Schema schema = new Schema(fields);
            PartitionSpec spec = PartitionSpec.builderFor(schema).day("col_2").build();
            for (int t = 0; t < TABLES; t++) {
                Table table = catalog.createTable(TableIdentifier.of("bench", "t" + t), schema, spec);
                if (VENDING) {
                    // both servers' warehouses are in S3, where this client has no keys to write a
                    // manifest with: every table stays empty on both sides
                    continue;
                }
                table.newAppend()
                        .appendFile(DataFiles.builder(spec)
                                .withPath(table.location() + "/data/f" + t + ".parquet")
                                .withFileSizeInBytes(4096)
                                .withRecordCount(100)
                                .withFormat(FileFormat.PARQUET)
                                .withPartitionPath("col_2_day=2026-11-30")
                                .build())
                        .commit();
            }
        }
    }

    static Result measure(Server server, String op, int threads, String prefixedBase, boolean commit) throws Exception {
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Result r;
        try (BenchClient http = BenchClient.create(CLIENT, threads, server.token(), server.delegation())) {
            // warm-up
            run(pool, threads, WARMUP, http, prefixedBase, commit, errors, null);
            errors.set(0);
            List<long[]> latencies = new ArrayList<>();
            long cpuBefore = cpuNanos(server.process());
            double stsBefore = VendingSetup.stsCalls(server);
            long start = System.nanoTime();
            long count = run(pool, threads, MEASURE, http, prefixedBase, commit, errors, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            double stsPer10k = (VendingSetup.stsCalls(server) - stsBefore) * 10_000 / Math.max(1, count);
            double cpuMicrosPerOp = (cpuNanos(server.process()) - cpuBefore) / 1e3 / Math.max(1, count);
            long[] all =
                    latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            r = new Result(
                    server.name(),
                    op,
                    threads,
                    count / seconds,
                    percentile(all, 0.50),
                    percentile(all, 0.99),
                    errors.get(),
                    loadAverage(),
                    cpuMicrosPerOp,
                    stsPer10k);
        } finally {
            pool.shutdown();
        }
        System.out.printf(
                Locale.ROOT,
                "  %-9s %-9s threads=%-2d %9.1f ops/s  p50 %7.2f ms  p99 %7.2f ms  server CPU %6.0f µs/op"
                        + "  errors %d  load average %.1f%n",
                r.server(),
                r.op(),
                r.threads(),
                r.opsPerSec(),
                r.p50Ms(),
                r.p99Ms(),
                r.cpuMicrosPerOp(),
                r.errors(),
                r.loadAverage());
        return r;
    }

    static long run(
            ExecutorService pool,
            int threads,
            Duration duration,
            BenchClient http,
            String base,
            boolean commit,
            AtomicLong errors,
            List<long[]> latencies)
            throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                long seq = 0;
                while (System.nanoTime() < deadline) {
                    int table = commit
                            ? (int) ((thread + seq * threads) % TABLES) // spread writers over tables
                            : ThreadLocalRandom.current().nextInt(TABLES);
                    String uri = base + "namespaces/bench/tables/t" + table;
                    long t0 = System.nanoTime();
                    BenchClient.Response response = commit
                            ? http.postJson(
                                    uri,
                                    "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\","
                                            + "\"updates\":{\"bench.k\":\"" + thread + "-" + seq + "\"}}]}")
                            : http.get(uri);
                    long elapsed = System.nanoTime() - t0;
                    if (response.status() != 200 || response.body().length == 0) {
                        if (errors.incrementAndGet() == 1) {
                            System.out.println("    first error: HTTP " + response.status() + " "
                                    + new String(response.body(), 0, Math.min(200, response.body().length)));
                        }
                    }
                    if (latencies == null && seq == 0 && thread == 0) {
                        System.out.printf(
                                "    %s response: %d bytes, Content-Encoding %s%n",
                                commit ? "commit" : "load", response.body().length, response.encoding());
                    }
                    if (n == samples.length) {
                        samples = Arrays.copyOf(samples, n * 2);
                    }
                    samples[n++] = elapsed;
                    seq++;
                }
                return Arrays.copyOf(samples, n);
            }));
        }
        long total = 0;
        for (Future<long[]> f : futures) {
            long[] s = f.get();
            total += s.length;
            if (latencies != null) {
                latencies.add(s);
            }
        }
        return total;
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static void print(List<Result> results) {
        System.out.println();
        System.out.println("| operation | threads | Floe ops/s | reference ops/s | ratio | Floe p50 / p99 ms"
                + " | reference p50 / p99 ms | server CPU µs/op (Floe / ref.) | load average (Floe / ref.) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result f : results) {
            if (!f.server().equals("floe") && !f.server().equals("floe-s3")) {
                continue;
            }
            Result r = results.stream()
                    .filter(x -> x.server().equals("reference") && x.op().equals(f.op()) && x.threads() == f.threads())
                    .findFirst()
                    .orElse(null);
            if (r == null) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.0f | – | – | %.2f / %.2f | – | %.0f | %.1f |%n",
                        f.op(),
                        f.threads(),
                        f.opsPerSec(),
                        f.p50Ms(),
                        f.p99Ms(),
                        f.cpuMicrosPerOp(),
                        f.loadAverage());
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.0f | %.2f× | %.2f / %.2f | %.2f / %.2f | %.0f / %.0f | %.1f / %.1f |%n",
                    f.op(),
                    f.threads(),
                    f.opsPerSec(),
                    r.opsPerSec(),
                    f.opsPerSec() / r.opsPerSec(),
                    f.p50Ms(),
                    f.p99Ms(),
                    r.p50Ms(),
                    r.p99Ms(),
                    f.cpuMicrosPerOp(),
                    r.cpuMicrosPerOp(),
                    f.loadAverage(),
                    r.loadAverage());
        }
        long errors = results.stream().mapToLong(Result::errors).sum();
        System.out.println();
        System.out.println("errors (non-200 responses) in measured phases: " + errors);
    }

    /**
     * CPU time the server process has used so far (all its threads). Per operation it is a figure
     * that outside load on a shared machine distorts far less than throughput or latency.
     */
    static long cpuNanos(Process process) {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(0L);
    }

    /** The 1-minute load average at the end of a measurement (the machine may be shared). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage();
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited; log: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("server did not open port " + port + "; log in " + log);
    }
}
