package dev.floe.bench.idempotency;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.server.DevMasterKey;
import dev.floe.catalog.server.FloeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What {@code Idempotency-Key} records cost: live heap and database growth of a catalog server
 * over N commits to one table with large metadata, each commit with a new {@code Idempotency-Key},
 * against its peer in the same run, the same commits without the header. Each peer is a fresh
 * server (embedded SQLite store, authentication off, as {@code floe serve --dev}) in a JVM of its
 * own; live heap is measured after full GCs before and after the commits, so the difference
 * between the peers is what the idempotency records keep (both fill the same bounded load cache),
 * and the database is measured after a WAL checkpoint.
 * Tunables (system properties): bench.commits (10000), bench.metadata.kib (64: size of a table
 * property that makes every metadata file and commit response that large), bench.report.every
 * (2500: a progress line).
 */
public final class IdempotencyFootprintBench {

    private static final int COMMITS = Integer.getInteger("bench.commits", 10_000);
    private static final int METADATA_KIB = Integer.getInteger("bench.metadata.kib", 64);
    private static final int REPORT_EVERY = Integer.getInteger("bench.report.every", 2_500);

    private record Figures(
            String peer,
            long heapBefore,
            long heapAfter,
            long dbBefore,
            long dbAfter,
            long records,
            long recordBytes,
            double seconds) {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            // one peer in this JVM: print its figures as one line for the parent
            Figures f = run(
                    args[0].equals("keyed") ? "new Idempotency-Key each" : "without Idempotency-Key",
                    args[0].equals("keyed"));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %d %d %d %d %d %d %.3f%n",
                    f.heapBefore(),
                    f.heapAfter(),
                    f.dbBefore(),
                    f.dbAfter(),
                    f.records(),
                    f.recordBytes(),
                    f.seconds());
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "Idempotency footprint: %,d commits, table metadata ~%d KiB, -Xmx %d MiB%n",
                COMMITS,
                METADATA_KIB,
                Runtime.getRuntime().maxMemory() >> 20);
        Figures plain = child("without Idempotency-Key", "plain");
        Figures keyed = child("new Idempotency-Key each", "keyed");
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "%-26s %12s %12s %14s %12s %10s %10s%n",
                "peer",
                "live heap MB",
                "heap +MB",
                "database +MB",
                "records",
                "record MB",
                "commits/s");
        for (Figures f : new Figures[] {plain, keyed}) {
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %12.1f %12.1f %14.1f %,12d %10.2f %10.0f%n",
                    f.peer(),
                    mb(f.heapAfter()),
                    mb(f.heapAfter() - f.heapBefore()),
                    mb(f.dbAfter() - f.dbBefore()),
                    f.records(),
                    mb(f.recordBytes()),
                    COMMITS / f.seconds());
        }
        long extraDb = (keyed.dbAfter() - keyed.dbBefore()) - (plain.dbAfter() - plain.dbBefore());
        System.out.printf(
                Locale.ROOT,
                "keyed - plain: live heap %+.1f MB, database %+.1f MB (%.0f bytes per record)%n",
                mb((keyed.heapAfter() - keyed.heapBefore()) - (plain.heapAfter() - plain.heapBefore())),
                mb(extraDb),
                keyed.records() == 0 ? 0.0 : (double) extraDb / keyed.records());
    }

    /** Runs one peer in its own JVM (same class path, heap and properties), so neither sees the other's garbage. */
    private static Figures child(String peer, String arg) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IdempotencyFootprintBench.class.getName());
        command.add(arg);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else if (line.startsWith("  ") || line.contains("ERROR") || line.contains("Exception")) {
                    System.out.println(line);
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException(peer + ": the child JVM failed (exit " + process.exitValue() + ")");
        }
        String[] f = result.split(" ");
        return new Figures(
                peer,
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Double.parseDouble(f[7]));
    }

    private static Figures run(String peer, boolean keyed) throws Exception {
        Path dir = Files.createTempDirectory("floe-idem-bench");
        Path db = dir.resolve("db");
        FloeConfig config = new ConfigLoader()
                .flag(ConfigKeys.SERVER_HOST, "bench", "127.0.0.1")
                .flag(ConfigKeys.SERVER_PORT, "bench", 0)
                .flag(ConfigKeys.STORAGE_URL, "bench", db.toUri().toString())
                .flag(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        "bench",
                        dir.resolve("warehouse").toUri().toString())
                .dev(true)
                .load();
        Path ring =
                DevMasterKey.keyRingFile(config, Map.of(), dir.resolve("keys")).orElseThrow();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (FloeServer server = FloeServer.start(
                config,
                Map.of(
                        "floe.dev.key-ring-file",
                        ring.toString(),
                        "floe.auth.enabled",
                        false,
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()))) {
            URI base = server.uri();
            post(http, base, "v1/namespaces", null, "{\"namespace\":[\"bench\"]}");
            // old metadata files are deleted after each commit so the disk holds a few, not N
            post(http, base, "v1/namespaces/bench/tables", null, """
                    {"name":"wide","schema":{"type":"struct","schema-id":0,
                     "fields":[{"id":1,"name":"id","required":true,"type":"long"}]},
                     "properties":{"blob":"%s","write.metadata.delete-after-commit.enabled":"true",
                     "write.metadata.previous-versions-max":"2"}}""".formatted("x".repeat(METADATA_KIB * 1024)));
            long heapBefore = liveHeap();
            long dbBefore = size(db);
            long start = System.nanoTime();
            for (int i = 1; i <= COMMITS; i++) {
                post(
                        http,
                        base,
                        "v1/namespaces/bench/tables/wide",
                        keyed ? UUID.randomUUID().toString() : null,
                        "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"n\":\"" + i
                                + "\"}}]}");
                if (i % REPORT_EVERY == 0) {
                    System.out.printf(Locale.ROOT, "  %s: %,d commits, live heap %.1f MB%n", peer, i, mb(liveHeap()));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long heapAfter = liveHeap();
            long[] records = records(db);
            return new Figures(peer, heapBefore, heapAfter, dbBefore, size(db), records[0], records[1], seconds);
        } finally {
            deleteTree(dir);
        }
    }

    private static void post(HttpClient http, URI base, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Heap in use after full collections: what is still reachable. */
    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Bytes of the SQLite database after its write-ahead log was checkpointed into it. */
    private static long size(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.resolve("floe.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        try (Stream<Path> files = Files.list(db)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    /** Rows in idempotency_records and the bytes of their sealed responses. */
    private static long[] records(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.resolve("floe.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*), COALESCE(SUM(LENGTH(response)), 0)" + " FROM idempotency_records")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
