package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.ExternalServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health probes and Prometheus metrics on the real server: reachable without credentials, no
 * details; after real traffic {@code /metrics} holds the request latency histogram per route and
 * status with its buckets, commit and conflict counters and authentication failures by reason; with
 * a management port, health and metrics are served there only and the API port keeps the API.
 */
class ObservabilityIT {

    private static final String TABLE_ROUTE = "/v1/{prefix}/namespaces/{namespace}/tables/{table}";

    @TempDir
    Path dir;

    @Test
    void servesProbesAndPrometheusMetricsOnTheApiPortByDefault() {
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            for (String probe : new String[] {"/health", "/health/liveness", "/health/readiness"}) {
                HttpResponse<String> r = http.send("GET", probe, null, null);
                assertThat(r.statusCode()).as(probe).isEqualTo(200);
                assertThat(r.body()).as(probe).contains("UP");
            }
            assertThat(http.send("GET", "/v1/config", null, null).statusCode()).isEqualTo(401);
            for (String path : List.of("/metrics", "/prometheus")) {
                HttpResponse<String> metrics = http.send("GET", path, null, null);
                assertThat(metrics.statusCode()).as(path).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type"))
                        .as(path)
                        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
                assertThat(metrics.body())
                        .as(path)
                        .contains("# TYPE http_server_requests_seconds histogram")
                        .contains("floe_auth_failures_total{reason=\"missing\"}");
            }
        }
    }

    @Test
    void metricsShowLatencyBucketsPerRouteAndStatusCommitsConflictsAndAuthFailuresAfterTraffic() throws Exception {
        String admin = ApiKeyCredential.generate().token();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), admin);
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"obs\"]}", admin)
                            .statusCode())
                    .isEqualTo(200);
            String create = "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":"
                    + "[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}}";
            assertThat(http.send("POST", "/v1/default/namespaces/obs/tables", create, admin)
                            .statusCode())
                    .isEqualTo(200);
            String setProperty =
                    "{\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v%d\"}}]}";
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("POST", "/v1/default/namespaces/obs/tables/t", setProperty.formatted(i), admin)
                                .statusCode())
                        .isEqualTo(200);
            }
            String stale =
                    "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"00000000-0000-0000-0000-000000000000\"}],"
                            + "\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"lost\"}}]}";
            assertThat(http.send("POST", "/v1/default/namespaces/obs/tables/t", stale, admin)
                            .statusCode())
                    .isEqualTo(409);
            for (int i = 0; i < 5; i++) {
                assertThat(http.send("GET", "/v1/default/namespaces/obs/tables/t", null, admin)
                                .statusCode())
                        .isEqualTo(200);
            }
            assertThat(http.send("GET", "/v1/config", null, null).statusCode()).isEqualTo(401);
            assertThat(http.send("GET", "/v1/config", null, "floe_aaaaaaaaaaaaaaaa_" + "B".repeat(43))
                            .statusCode())
                    .isEqualTo(401);

            String text = http.send("GET", "/metrics", null, null).body();

            // latency histogram of the load-table route, status 200: real buckets, consistent counts
            Map<String, String> loads = Map.of("uri", TABLE_ROUTE, "method", "GET", "status", "200");
            assertThat(value(text, "http_server_requests_seconds_count", loads)).isEqualTo(5.0);
            double sum = value(text, "http_server_requests_seconds_sum", loads);
            assertThat(sum).isGreaterThan(0.0).isLessThan(60.0);
            double previous = 0;
            for (String le : List.of(
                    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf")) {
                double bucket = value(text, "http_server_requests_seconds_bucket", with(loads, "le", le));
                assertThat(bucket).as("bucket le=%s is cumulative", le).isGreaterThanOrEqualTo(previous);
                previous = bucket;
            }
            assertThat(previous).as("+Inf bucket = count").isEqualTo(5.0);
            // the same route with another status is its own series
            assertThat(value(
                            text,
                            "http_server_requests_seconds_count",
                            Map.of(
                                    "uri",
                                    TABLE_ROUTE,
                                    "method",
                                    "POST",
                                    "status",
                                    "409",
                                    "exception",
                                    "CommitFailedException")))
                    .isEqualTo(1.0);

            // requests the security filters refused are measured too
            assertThat(value(text, "http_server_requests_seconds_count", Map.of("uri", "/v1/config", "status", "401")))
                    .isEqualTo(2.0);
            assertThat(value(text, "floe_commits_total", Map.of("operation", "table.commit", "outcome", "success")))
                    .isEqualTo(3.0);
            assertThat(value(text, "floe_commits_total", Map.of("operation", "table.commit", "outcome", "conflict")))
                    .isEqualTo(1.0);
            assertThat(value(text, "floe_commit_conflicts_total", Map.of("operation", "table.commit")))
                    .isEqualTo(1.0);
            assertThat(value(text, "floe_auth_failures_total", Map.of("reason", "missing")))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(value(text, "floe_auth_failures_total", Map.of("reason", "api-key")))
                    .isEqualTo(1.0);
            // the encryption layer's meters on the same endpoint: every sealed read went through the data-key cache
            assertThat(sum(text, "floe_kms_calls_total", Map.of("outcome", "success")))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(value(text, "floe_dek_cache_total", Map.of("result", "hit")))
                    .isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void aManagementPortServesHealthAndMetricsAndTheApiPortOnlyTheApi() throws Exception {
        String admin = ApiKeyCredential.generate().token();
        Path keyFile = Files.writeString(dir.resolve("admin.key"), admin);
        int managementPort = ExternalServer.freePort();
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.bootstrap-admin-key-file",
                        keyFile.toString(),
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()),
                managementPort)) {
            SecurityHttp api = new SecurityHttp(server.uri());
            SecurityHttp management = new SecurityHttp(URI.create("http://127.0.0.1:" + managementPort + "/"));
            assertThat(server.port()).isNotEqualTo(managementPort);

            for (String path : List.of("/health/liveness", "/health/readiness", "/metrics")) {
                assertThat(management.send("GET", path, null, null).statusCode())
                        .as("management " + path)
                        .isEqualTo(200);
                assertThat(api.send("GET", path, null, null).statusCode())
                        .as("api " + path)
                        .isEqualTo(404);
            }
            assertThat(api.send("GET", "/v1/config", null, admin).statusCode()).isEqualTo(200);
            assertThat(management.send("GET", "/v1/config", null, admin).statusCode())
                    .isEqualTo(404);
            assertThat(management.send("GET", "/metrics", null, null).body())
                    .contains("http_server_requests_seconds_count{")
                    .contains("status=\"200\"");
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(labels);
        copy.put(name, value);
        return copy;
    }

    /** The sum of the samples of {@code metric} whose labels include {@code labels} (at least one). */
    private static double sum(String exposition, String metric, Map<String, String> labels) {
        List<Double> found = samples(exposition, metric, labels);
        assertThat(found).as("%s%s", metric, labels).isNotEmpty();
        return found.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The value of the one sample of {@code metric} whose labels include {@code labels}. */
    private static double value(String exposition, String metric, Map<String, String> labels) {
        List<Double> found = samples(exposition, metric, labels);
        assertThat(found)
                .as(
                        "%s%s in\n%s",
                        metric,
                        labels,
                        exposition.lines().filter(l -> l.startsWith(metric)).reduce("", (a, b) -> a + b + "\n"))
                .hasSize(1);
        return found.get(0);
    }

    private static List<Double> samples(String exposition, String metric, Map<String, String> labels) {
        Pattern line = Pattern.compile(
                "^" + Pattern.quote(metric) + "\\{(.*)\\} (\\S+)$", Pattern.MULTILINE); // uri labels hold braces
        Matcher m = line.matcher(exposition);
        List<Double> found = new java.util.ArrayList<>();
        while (m.find()) {
            String labelText = m.group(1);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        return found;
    }
}
