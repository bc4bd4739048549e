package dev.floe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Start-up and memory of Floe against Iceberg's reference {@code RESTCatalogServer}, each started
 * several times as its own process on loopback:
 * <ul>
 *   <li>{@code floe-jar}: {@code java <the image launcher's JVM defaults> -XX:MaxRAM=<limit> -jar floe.jar serve --dev}
 *       (the defaults are read from {@code tools/images/jib/catalog/usr/local/bin/floe}, so they are
 *       the flags the image uses; {@code MaxRAM} stands in for the pod's memory limit);</li>
 *   <li>{@code floe-image}: the real image ({@code catalog/target/jib-image.tar}) run by
 *       {@code tools/images/run-image.py} with runc, read-only root, the pod's memory limit, as uid
 *       1000680000 (needs root and runc; left out otherwise);</li>
 *   <li>{@code reference}: {@code RESTCatalogServer} (JdbcCatalog on SQLite) with the same JVM and
 *       {@code MaxRAM}.</li>
 * </ul>
 * Each run: a first start on an empty data directory, stop, then a warm restart on the same one
 * (start-to-ready = from starting the process to the first 200 on {@code /health/readiness} for
 * Floe, {@code /v1/config} for the reference); RSS idle 2 s after ready; then a fixed load of
 * loadTable calls at 16 threads and the RSS after it; then loadTable throughput at 1, 4 and 16
 * threads. Floe runs at its default settings: authentication on (the {@code --dev} admin key as a
 * bearer token, as an engine sends it) and default rate limits.
 */
public final class FootprintBench {

    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final int LOADS = Integer.getInteger("bench.loads", 10_000);
    static final int LOAD_THREADS = Integer.getInteger("bench.load.threads", 16);
    static final int TABLES = Integer.getInteger("bench.tables", 50);
    static final int[] THREADS = Arrays.stream(
                    System.getProperty("bench.threads", "1,4,16").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 4));
    static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 2));
    /** The pod's memory limit (the operator's default is 1 GiB), as MaxRAM for the jars and a cgroup limit for the image. */
    static final long LIMIT = Long.getLong("bench.memory.limit", 1L << 30);

    static final List<String> TARGETS = List.of(
            System.getProperty("bench.targets", "floe-jar,floe-image,reference").split(","));
    /**
     * The java for the reference server: its Hadoop file IO calls {@code Subject.getSubject}, which
     * JDK 23+ no longer supports, so it runs on JDK 17 (run.sh passes one when there is one).
     */
    static final String REFERENCE_JAVA = System.getProperty("bench.reference.java", javaBin());
    /** Extra JVM options for floe-jar (e.g. -XX:AOTCache=… trained with the same JVM). */
    static final String FLOE_JVM = System.getProperty("bench.floe.jvm", "");
    /**
     * Environment variables for floe-image's container, as a pod's env sets them, separated by
     * {@code ;} (e.g. {@code FLOE_JAVA_OPTS=-XX:TieredStopAtLevel=1;MALLOC_ARENA_MAX=4} to compare
     * against a launcher default).
     */
    static final List<String> FLOE_IMAGE_ENV = Arrays.stream(
                    System.getProperty("bench.floe.image.env", "").split(";"))
            .filter(s -> !s.isBlank())
            .toList();

    record Sample(
            long firstStartMs,
            long warmStartMs,
            long warmProcessToReadyMs,
            long rssFirstIdleMiB,
            long rssIdleMiB,
            long rssLoadedMiB,
            double loadsPerSecond,
            Map<Integer, Double> throughput,
            double loadAverage) {}

    /** A started server: how to stop it and which pid holds the JVM. */
    interface Running extends AutoCloseable {
        long pid();

        String base();

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path jar = repo.resolve("catalog/target/floe.jar");
        Path image = repo.resolve("catalog/target/jib-image.tar");
        List<String> imageFlags = launcherDefaults(repo.resolve("tools/images/jib/catalog/usr/local/bin/floe"));
        Path work = Files.createTempDirectory("floe-footprint");
        List<String> targets = new ArrayList<>(TARGETS);
        if (targets.contains("floe-image") && !imageRunnable(image)) {
            System.out.println("floe-image: left out (needs root, runc and " + image + ")");
            targets.remove("floe-image");
        }
        System.out.printf(
                Locale.ROOT,
                "java for floe-jar: %s (%s); for the reference: %s%n",
                javaBin(),
                System.getProperty("java.vm.version"),
                REFERENCE_JAVA);
        if (!FLOE_IMAGE_ENV.isEmpty()) {
            System.out.println("floe-image environment: " + String.join(" ", FLOE_IMAGE_ENV));
        }
        System.out.println("image launcher defaults used for floe-jar: " + String.join(" ", imageFlags));
        System.out.printf(
                Locale.ROOT,
                "memory limit %d MiB; %d runs; fixed load %d loadTable at %d threads over %d tables%n",
                LIMIT >> 20,
                RUNS,
                LOADS,
                LOAD_THREADS,
                TABLES);
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int run = 0; run < RUNS; run++) {
            // alternate the order so that a burst of outside load does not land on one target's runs
            List<String> order = new ArrayList<>(targets);
            if (run % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String target : order) {
                Path dir = work.resolve(target + "-" + run);
                Sample s = runOnce(target, dir, jar, image, imageFlags);
                samples.computeIfAbsent(target, k -> new ArrayList<>()).add(s);
                System.out.printf(
                        Locale.ROOT,
                        "  run %d %-10s first %5d ms  warm %5d ms (%d from its process)  RSS idle %4d MiB (first start %d)"
                                + "  after %d loads %4d MiB (%.0f/s)  loadTable/s %s  load average %.1f%n",
                        run + 1,
                        target,
                        s.firstStartMs(),
                        s.warmStartMs(),
                        s.warmProcessToReadyMs(),
                        s.rssIdleMiB(),
                        s.rssFirstIdleMiB(),
                        LOADS,
                        s.rssLoadedMiB(),
                        s.loadsPerSecond(),
                        s.throughput(),
                        s.loadAverage());
            }
        }
        print(samples);
        FootprintGoals.print(FootprintGoals.check(samples, THREADS));
        System.exit(0); // the HTTP clients' threads are not daemons
    }

    static Sample runOnce(String target, Path dir, Path jar, Path image, List<String> imageFlags) throws Exception {
        Files.createDirectories(dir);
        long firstMs;
        long rssFirst;
        long t0 = System.nanoTime();
        try (Running server = start(target, dir, jar, image, imageFlags)) {
            firstMs = awaitReady(server, target, t0);
            rssFirst = idleRss(server);
        }
        long warmMs;
        long warmProcessMs;
        long rssIdle;
        long rssLoaded;
        double loadsPerSecond;
        Map<Integer, Double> throughput = new LinkedHashMap<>();
        t0 = System.nanoTime();
        try (Running server = start(target, dir, jar, image, imageFlags)) {
            warmMs = awaitReady(server, target, t0);
            warmProcessMs = sinceProcessStart(server.pid());
            rssIdle = idleRss(server);
            String token = target.startsWith("floe")
                    ? Files.readString(dir.resolve(".floe/dev-admin.key")).trim()
                    : null;
            String base = prefixedBase(server.base(), token);
            createTables(base, token);
            try (CloseableHttpClient http = client(LOAD_THREADS)) {
                long l0 = System.nanoTime();
                long done = fixedLoad(http, base, token, LOADS, LOAD_THREADS);
                loadsPerSecond = done / ((System.nanoTime() - l0) / 1e9);
            }
            rssLoaded = rss(server.pid());
            for (int threads : THREADS) {
                try (CloseableHttpClient http = client(threads)) {
                    timedLoad(http, base, token, threads, WARMUP);
                    long m0 = System.nanoTime();
                    long n = timedLoad(http, base, token, threads, MEASURE);
                    throughput.put(threads, n / ((System.nanoTime() - m0) / 1e9));
                }
            }
        }
        return new Sample(
                firstMs,
                warmMs,
                warmProcessMs,
                rssFirst,
                rssIdle,
                rssLoaded,
                loadsPerSecond,
                throughput,
                loadAverage());
    }

    // ---- starting the servers ----

    static Running start(String target, Path dir, Path jar, Path image, List<String> imageFlags) throws Exception {
        int port = freePort();
        return switch (target) {
            case "floe-jar" -> {
                List<String> cmd = new ArrayList<>(List.of(javaBin()));
                cmd.addAll(imageFlags);
                cmd.add("-XX:MaxRAM=" + LIMIT);
                if (!FLOE_JVM.isBlank()) {
                    cmd.addAll(List.of(FLOE_JVM.trim().split("\\s+")));
                }
                cmd.addAll(List.of("-jar", jar.toString(), "serve", "--dev", "--port", String.valueOf(port)));
                yield process(cmd, dir, Map.of(), "http://127.0.0.1:" + port + "/");
            }
            case "reference" -> {
                List<String> cmd = List.of(
                        REFERENCE_JAVA,
                        "-XX:MaxRAM=" + LIMIT,
                        "-XX:MaxRAMPercentage=75",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.apache.iceberg.rest.RESTCatalogServer");
                yield process(
                        cmd,
                        dir,
                        Map.of(
                                "CATALOG_URI",
                                "jdbc:sqlite:" + dir.resolve("reference.db"),
                                "CATALOG_WAREHOUSE",
                                dir.resolve("warehouse").toUri().toString(),
                                "CATALOG_JDBC_SCHEMA__VERSION",
                                "V1",
                                "CATALOG_REST_PORT",
                                String.valueOf(port)),
                        "http://127.0.0.1:" + port + "/");
            }
            case "floe-image" -> container(image, dir, port);
            default -> throw new IllegalArgumentException("unknown target " + target);
        };
    }

    static Running process(List<String> command, Path dir, Map<String, String> env, String base) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server.log").toFile()));
        pb.environment().remove("FLOE_MASTER_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        return new Running() {
            public long pid() {
                return p.pid();
            }

            public String base() {
                return base;
            }

            public void close() throws Exception {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        };
    }

    /** The image under runc, as the pods run it: read-only root, emptyDir /tmp, data volume, memory limit, arbitrary uid. */
    static Running container(Path image, Path dir, int port) throws Exception {
        Path runImage = Path.of("tools/images/run-image.py").toAbsolutePath();
        // unpacked once per benchmark run, never an older build's root filesystem from the shared
        // /tmp/floe-run (keyed by the last layer only, which a code change can leave unchanged)
        Path runDir = dir.getParent().resolve("run");
        String name = "floe-footprint-" + ProcessHandle.current().pid() + "-" + port;
        Files.createDirectories(dir);
        new ProcessBuilder("chmod", "0777", dir.toString()).start().waitFor();
        ProcessBuilder run = new ProcessBuilder(
                        "python3",
                        runImage.toString(),
                        "run",
                        image.toString(),
                        name,
                        "--user",
                        "1000680000:0",
                        "--emptydir",
                        "/tmp",
                        "--bind",
                        dir + ":/var/lib/floe",
                        "--host-network",
                        "--memory",
                        String.valueOf(LIMIT),
                        "--detach",
                        "--log",
                        dir.resolve("server.log").toString(),
                        "--",
                        "serve",
                        "--dev",
                        "--port",
                        String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve("runc.log").toFile()));
        for (String variable : FLOE_IMAGE_ENV) {
            run.command().addAll(run.command().indexOf("--detach"), List.of("--env", variable));
        }
        run.environment().put("FLOE_RUN_DIR", runDir.toString());
        Process p = run.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("run-image.py failed: " + Files.readString(dir.resolve("runc.log")));
        }
        Process state = new ProcessBuilder("runc", "state", name).start();
        String json = new String(state.getInputStream().readAllBytes());
        state.waitFor();
        Matcher m = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("runc state " + name + ": " + json);
        }
        long pid = Long.parseLong(m.group(1));
        return new Running() {
            public long pid() {
                return pid;
            }

            public String base() {
                return "http://127.0.0.1:" + port + "/";
            }

            public void close() throws Exception {
                ProcessBuilder stop = new ProcessBuilder("python3", runImage.toString(), "stop", name).inheritIO();
                stop.environment().put("FLOE_RUN_DIR", runDir.toString());
                stop.start().waitFor();
            }
        };
    }

    /**
     * The JVM options the image's launcher adds by default: its {@code default NAME OPTION} lines
     * (an optional {@code [ -f FILE ] &&} guard is honoured by leaving the option out: such files
     * exist only inside the image).
     */
    static List<String> launcherDefaults(Path launcher) throws IOException {
        List<String> flags = new ArrayList<>();
        Pattern line = Pattern.compile("^\\s*default\\s+\\S+\\s+(\\S+)");
        for (String l : Files.readAllLines(launcher)) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                flags.add(m.group(1));
            }
        }
        return flags;
    }

    static boolean imageRunnable(Path image) {
        try {
            return Files.isRegularFile(image)
                    && "0"
                            .equals(new String(new ProcessBuilder("id", "-u")
                                            .start()
                                            .getInputStream()
                                            .readAllBytes())
                                    .trim())
                    && new ProcessBuilder("runc", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Milliseconds from {@code t0} (taken just before the process, or runc, was started) to the first
     * 200 on the readiness path: {@code /health/readiness} for Floe, {@code /v1/config} for the reference.
     */
    static long awaitReady(Running server, String target, long t0) throws Exception {
        String uri = server.base() + (target.startsWith("floe") ? "health/readiness" : "v1/config");
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (status(uri, null) == 200) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(target + " not ready after 120 s: " + uri);
    }

    /**
     * Milliseconds from the creation of the server's process (for the image: the container's first
     * process, the launcher that execs java) to now, 10 ms resolution: start to ready without what
     * the benchmark and the container runtime spend before it (run-image.py, runc). Both ends are
     * read on the kernel's clock since boot: the process's start in clock ticks (USER_HZ, 100 on
     * Linux) from /proc/PID/stat, now from /proc/uptime. (ProcessHandle's startInstant adds the boot
     * time, which Linux gives in whole seconds.)
     */
    static long sinceProcessStart(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the fields after "(command)"; starttime is field 22 of the line, 20th of these
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startTicks = Long.parseLong(fields[19]);
        double uptimeSeconds =
                Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        return Math.round(uptimeSeconds * 1000 - startTicks * 10.0);
    }

    static long idleRss(Running server) throws InterruptedException {
        Thread.sleep(2000);
        return rss(server.pid());
    }

    /** Resident set size of a process in MiB (VmRSS: anonymous + file-backed pages mapped, incl. the CDS/AOT archive). */
    static long rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    // ---- requests ----

    static CloseableHttpClient client(int threads) {
        // Apache HttpClient 5 classic, pooled, gzip on: the transport of Iceberg's Java RESTClient;
        // automatic retries off, so that a 429 or 503 fails the run instead of hiding in the figures
        return HttpClients.custom()
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(Math.max(2, threads))
                        .setMaxConnPerRoute(Math.max(2, threads))
                        .build())
                .build();
    }

    static final HttpClient JDK = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    static int status(String uri, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return JDK.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String post(String uri, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = JDK.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + uri + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String prefixedBase(String base, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "v1/config"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String config =
                JDK.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"prefix\"\\s*:\\s*\"([^\"]+)\"").matcher(config);
        return m.find() ? base + "v1/" + m.group(1) + "/" : base + "v1/";
    }

    /** One namespace and {@link #TABLES} tables of 20 columns, created over plain REST calls. */
    static void createTables(String base, String token) throws Exception {
        post(base + "namespaces", token, "{\"namespace\":[\"bench\"]}");
        StringBuilder fields = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            fields.append(i > 1 ? "," : "")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"name\":\"col_")
                    .append(i)
                    .append("\",\"required\":false,\"type\":\"")
                    .append(i % 3 == 0 ? "string" : i % 3 == 1 ? "long" : "timestamptz")
                    .append("\"}");
        }
        for (int t = 0; t < TABLES; t++) {
            post(
                    base + "namespaces/bench/tables",
                    token,
                    "{\"name\":\"t" + t + "\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[" + fields
                            + "]}}");
        }
    }

    static long fixedLoad(CloseableHttpClient http, String base, String token, int total, int threads)
            throws Exception {
        AtomicLong next = new AtomicLong();
        return drive(http, base, token, threads, () -> next.getAndIncrement() < total);
    }

    static long timedLoad(CloseableHttpClient http, String base, String token, int threads, Duration d)
            throws Exception {
        long deadline = System.nanoTime() + d.toNanos();
        return drive(http, base, token, threads, () -> System.nanoTime() < deadline);
    }

    static long drive(
            CloseableHttpClient http, String base, String token, int threads, java.util.function.BooleanSupplier more)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong seq = new AtomicLong();
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    while (more.getAsBoolean()) {
                        HttpGet get =
                                new HttpGet(base + "namespaces/bench/tables/t" + (seq.getAndIncrement() % TABLES));
                        if (token != null) {
                            get.setHeader("Authorization", "Bearer " + token);
                        }
                        String failure = http.execute(get, r -> {
                            String body = r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity());
                            return r.getCode() == 200
                                    ? null
                                    : "HTTP " + r.getCode() + " " + body.substring(0, Math.min(300, body.length()));
                        });
                        if (failure != null) {
                            throw new IllegalStateException("loadTable: " + failure);
                        }
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    // ---- output ----

    static void print(Map<String, List<Sample>> samples) {
        System.out.println();
        System.out.println("| figure | " + String.join(" | ", samples.keySet()) + " |");
        System.out.println("|---|" + "---:|".repeat(samples.size()));
        row(samples, "start to ready, first start (ms)", s -> (double) s.firstStartMs(), "%.0f");
        row(samples, "start to ready, warm restart (ms)", s -> (double) s.warmStartMs(), "%.0f");
        row(samples, "process start to ready, warm restart (ms)", s -> (double) s.warmProcessToReadyMs(), "%.0f");
        row(samples, "RSS idle after first start (MiB)", s -> (double) s.rssFirstIdleMiB(), "%.0f");
        row(samples, "RSS idle, warm restart (MiB)", s -> (double) s.rssIdleMiB(), "%.0f");
        row(
                samples,
                "RSS after " + LOADS + " loadTable at " + LOAD_THREADS + " threads (MiB)",
                s -> (double) s.rssLoadedMiB(),
                "%.0f");
        for (int threads : THREADS) {
            row(
                    samples,
                    "loadTable/s, " + threads + " thread" + (threads > 1 ? "s" : ""),
                    s -> s.throughput().get(threads),
                    "%.0f");
        }
        row(samples, "load average at the end of a run", Sample::loadAverage, "%.1f");
        System.out.println("(each cell: median, with min–max over the runs)");
    }

    static void row(
            Map<String, List<Sample>> samples, String name, java.util.function.ToDoubleFunction<Sample> f, String fmt) {
        StringBuilder b = new StringBuilder("| " + name + " |");
        for (List<Sample> list : samples.values()) {
            double[] v = sorted(list, f);
            b.append(' ')
                    .append(String.format(Locale.ROOT, fmt, median(v)))
                    .append(" (")
                    .append(String.format(Locale.ROOT, fmt, v[0]))
                    .append('–')
                    .append(String.format(Locale.ROOT, fmt, v[v.length - 1]))
                    .append(") |");
        }
        System.out.println(b);
    }

    /** One figure of every run, smallest first. */
    static double[] sorted(List<Sample> runs, java.util.function.ToDoubleFunction<Sample> figure) {
        return runs.stream().mapToDouble(figure).sorted().toArray();
    }

    /** The median the tables print: the middle run's figure (the upper one of an even count). */
    static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
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
}
