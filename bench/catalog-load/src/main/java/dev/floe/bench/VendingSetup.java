package dev.floe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -Dbench.vending=on}: moto's S3/STS/IAM server ({@code tools/s3/moto_sts_s3.py}, moto
 * installed by {@code tools/kms/install-moto.sh}) and one Floe process whose warehouse is a bucket
 * there, with {@code s3_vending_role_arn} set. Returned as two servers over the same process and
 * tables: {@code floe-s3} (no delegation header) and {@code floe-s3-vended}. STS calls are read
 * from Floe's own {@code floe_vending_sts_calls_total} metric.
 */
final class VendingSetup {

    private static Process moto;
    /** The reference server's settings for a warehouse in the same moto S3, set by {@link #start}. */
    private static Map<String, String> referenceS3 = Map.of();

    private VendingSetup() {}

    static List<CatalogLoadBench.Server> start(Path jar, Path dir, boolean limitsOff) throws Exception {
        Files.createDirectories(dir);
        Path root = Path.of("").toAbsolutePath();
        Process install = new ProcessBuilder(
                        root.resolve("tools/kms/install-moto.sh").toString())
                .redirectErrorStream(true)
                .start();
        String[] lines = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .strip()
                .split("\n");
        if (install.waitFor() != 0) {
            throw new IllegalStateException("install-moto.sh failed: " + String.join("\n", lines));
        }
        Path python = Path.of(lines[lines.length - 1].strip()).resolveSibling("python");
        int motoPort = CatalogLoadBench.freePort();
        Path account = dir.resolve("moto-account.json");
        moto = new ProcessBuilder(
                        python.toString(),
                        root.resolve("tools/s3/moto_sts_s3.py").toString(),
                        "--port",
                        Integer.toString(motoPort),
                        "--account-file",
                        account.toString(),
                        "--bucket",
                        "bench")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("moto.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> moto.destroy()));
        CatalogLoadBench.awaitPort(motoPort, moto, dir.resolve("moto.log"));
        JsonNode keys = new ObjectMapper().readTree(account.toFile());
        String endpoint = "http://127.0.0.1:" + motoPort;
        // RESTCatalogServer maps CATALOG_A_B__C to the catalog property a.b-c
        referenceS3 = Map.of(
                "CATALOG_WAREHOUSE", "s3://bench/reference",
                "CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO",
                "CATALOG_S3_ENDPOINT", endpoint,
                "CATALOG_S3_PATH__STYLE__ACCESS", "true",
                "CATALOG_CLIENT_REGION", "us-east-1",
                "AWS_REGION", "us-east-1",
                "CATALOG_S3_ACCESS__KEY__ID", keys.get("accessKeyId").asText(),
                "CATALOG_S3_SECRET__ACCESS__KEY", keys.get("secretAccessKey").asText());

        Path config = Files.writeString(dir.resolve("floe.toml"), """
                [storage]
                url = "%s"
                [warehouse]
                location = "s3://bench/warehouse"
                s3_endpoint = "%s"
                s3_region = "us-east-1"
                s3_path_style_access = true
                s3_vending_role_arn = "%s"
                s3_sts_endpoint = "%s"
                """.formatted(
                        dir.resolve("db").toUri(), endpoint, keys.get("roleArn").asText(), endpoint));
        int port = CatalogLoadBench.freePort();
        List<String> command = new ArrayList<>(List.of(CatalogLoadBench.javaBin(), "-Xmx1g"));
        if (limitsOff) {
            command.addAll(List.of(
                    "-Dfloe.security.rate-limit.address-per-second=1000000000",
                    "-Dfloe.security.rate-limit.address-burst=1000000000",
                    "-Dfloe.security.rate-limit.key-per-second=1000000000",
                    "-Dfloe.security.rate-limit.key-burst=1000000000"));
        }
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--dev",
                "--config",
                config.toString(),
                "--port",
                Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("floe.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FLOE_"));
        env.put("AWS_ACCESS_KEY_ID", keys.get("accessKeyId").asText());
        env.put("AWS_SECRET_ACCESS_KEY", keys.get("secretAccessKey").asText());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Process floe = pb.start();
        CatalogLoadBench.awaitPort(port, floe, dir.resolve("floe.log"));
        String token =
                Files.readString(dir.resolve(".floe").resolve("dev-admin.key")).trim();
        String base = "http://127.0.0.1:" + port + "/";
        return List.of(
                new CatalogLoadBench.Server("floe-s3", floe, base, token),
                new CatalogLoadBench.Server("floe-s3-vended", floe, base, token, "vended-credentials"));
    }

    /** RESTCatalogServer's {@code CATALOG_*} environment for a warehouse in the same S3 server as Floe's. */
    static Map<String, String> referenceS3() {
        return referenceS3;
    }

    /** Floe's successful STS calls so far ({@code floe_vending_sts_calls_total}); NaN for other servers. */
    static double stsCalls(CatalogLoadBench.Server server) throws Exception {
        if (!server.name().startsWith("floe-s3")) {
            return Double.NaN;
        }
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.base() + "metrics"))
                                .header("Authorization", "Bearer " + server.token())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^floe_vending_sts_calls_total\\{[^}]*result=\"success\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * Loads every table once with vended credentials before anything is measured, as the warm-up
     * fills the response cache: the first load of a table (per access level) costs one STS call,
     * which is reported here, so the measured rounds show the steady state.
     */
    static void firstLoads(List<CatalogLoadBench.Server> servers, Map<String, String> bases, int tables)
            throws Exception {
        for (CatalogLoadBench.Server server : servers) {
            if (!server.name().equals("floe-s3-vended")) {
                continue;
            }
            double before = stsCalls(server);
            long start = System.nanoTime();
            try (BenchClient client = BenchClient.create("jdk", 1, server.token(), server.delegation())) {
                for (int t = 0; t < tables; t++) {
                    int status = client.get(bases.get(server.name()) + "namespaces/bench/tables/t" + t)
                            .status();
                    if (status != 200) {
                        throw new IllegalStateException("first vended load of t" + t + ": HTTP " + status);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: first vended load of %d tables: %.0f STS calls, %.1f ms per load%n",
                    server.name(),
                    tables,
                    stsCalls(server) - before,
                    (System.nanoTime() - start) / 1e6 / tables);
        }
    }

    /** Vending on against off, per operation and thread count. */
    static void print(List<CatalogLoadBench.Result> results) {
        System.out.println();
        System.out.println("| operation | threads | vending off ops/s | vending on ops/s | on/off | reference ops/s"
                + " | on/reference | off p50 / p99 ms | on p50 / p99 ms | reference p50 / p99 ms"
                + " | STS calls per 10,000 (on) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (CatalogLoadBench.Result on : results) {
            if (!on.server().equals("floe-s3-vended")) {
                continue;
            }
            CatalogLoadBench.Result off = same(results, "floe-s3", on);
            CatalogLoadBench.Result reference = same(results, "reference", on);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.0f | %.2f× | %s | %s | %.2f / %.2f | %.2f / %.2f | %s | %.2f |%n",
                    on.op(),
                    on.threads(),
                    off.opsPerSec(),
                    on.opsPerSec(),
                    on.opsPerSec() / off.opsPerSec(),
                    reference == null ? "–" : String.format(Locale.ROOT, "%.0f", reference.opsPerSec()),
                    reference == null
                            ? "–"
                            : String.format(Locale.ROOT, "%.2f×", on.opsPerSec() / reference.opsPerSec()),
                    off.p50Ms(),
                    off.p99Ms(),
                    on.p50Ms(),
                    on.p99Ms(),
                    reference == null
                            ? "–"
                            : String.format(Locale.ROOT, "%.2f / %.2f", reference.p50Ms(), reference.p99Ms()),
                    on.stsPer10k());
        }
    }

    private static CatalogLoadBench.Result same(
            List<CatalogLoadBench.Result> results, String server, CatalogLoadBench.Result like) {
        return results.stream()
                .filter(r -> r.server().equals(server) && r.op().equals(like.op()) && r.threads() == like.threads())
                .findFirst()
                .orElse(null);
    }
}
