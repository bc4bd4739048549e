package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health probes and Prometheus metrics on the real server: reachable without credentials, no details. */
class ObservabilityIT {

    @TempDir
    Path dir;

    @Test
    void servesProbesAndPrometheusMetricsIncludingAuthFailures() {
        try (SecureCatalogServer server = SecureCatalogServer.start("file://" + dir.resolve("db"), dir,
                Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            for (String probe : new String[] {"/health", "/health/liveness", "/health/readiness"}) {
                HttpResponse<String> r = http.send("GET", probe, null, null);
                assertThat(r.statusCode()).as(probe).isEqualTo(200);
                assertThat(r.body()).as(probe).contains("UP");
            }
            assertThat(http.send("GET", "/v1/config", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = http.send("GET", "/prometheus", null, null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("http_server_requests_seconds").contains("floe_auth_failures_total");
        }
    }
}
