package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits per address and per key, and lockout after repeated failures, on the real server. */
class AbuseGuardIT {

    @TempDir
    Path dir;

    /**
     * Issue 14: at the old defaults (500 req/s per key, burst 1,000) one Iceberg client with 4 threads
     * got 429s within seconds. At the defaults no credential limit applies and the address limit is
     * above what the server can serve, so 4 threads sending 3,000 requests as fast as they can (more
     * than the old burst plus two seconds of its rate) all get 200.
     */
    @Test
    void defaultsNeverThrottleOneEngineWithFourThreads() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(admin, Map.of())) {
            SecurityHttp http = new SecurityHttp(server.uri());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<java.util.Map<Integer, Integer>>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        java.util.Map<Integer, Integer> codes = new java.util.TreeMap<>();
                        for (int i = 0; i < 750; i++) {
                            codes.merge(http.send("GET", "/v1/config", null, admin.token()).statusCode(), 1, Integer::sum);
                        }
                        return codes;
                    }));
                }
                java.util.Map<Integer, Integer> all = new java.util.TreeMap<>();
                for (var f : futures) {
                    f.get().forEach((code, n) -> all.merge(code, n, Integer::sum));
                }
                assertThat(all).containsExactly(Map.entry(200, 3000));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void rateLimitsPerKeyWith429AndRetryAfter() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(admin, Map.of("floe.security.rate-limit.key-per-second", "0.2",
                "floe.security.rate-limit.key-burst", "5"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            int ok = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 20 && limited == null; i++) {
                HttpResponse<String> r = http.send("GET", "/v1/config", null, admin.token());
                if (r.statusCode() == 429) {
                    limited = r;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(5);
            assertThat(limited).isNotNull();
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 10L));
            assertThat(limited.body()).contains("\"code\":429");
            // health stays reachable for probes
            assertThat(http.send("GET", "/health", null, null).statusCode()).isNotEqualTo(429);
        }
    }

    @Test
    void rateLimitsPerClientAddress() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(admin, Map.of("floe.security.rate-limit.address-per-second", "0.2",
                "floe.security.rate-limit.address-burst", "3"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            int[] codes = new int[5];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = http.send("GET", "/v1/config", null, null).statusCode(); // even unauthenticated calls count
            }
            assertThat(codes).containsExactly(401, 401, 401, 429, 429);
        }
    }

    @Test
    void locksOutAnAddressAfterRepeatedFailuresEvenForAValidKey() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(admin, Map.of("floe.security.lockout.max-failures", "3",
                "floe.security.lockout.duration", "1m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            assertThat(http.send("GET", "/v1/config", null, admin.token()).statusCode()).isEqualTo(200);
            String wrong = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", "/v1/config", null, wrong).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> locked = http.send("GET", "/v1/config", null, admin.token());
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(50L, 61L));
            // failed token requests count as well and are refused while locked
            assertThat(http.form("/v1/oauth/tokens", "grant_type=client_credentials&client_id=" + admin.keyId()
                    + "&client_secret=" + admin.secret(), null).statusCode()).isEqualTo(429);
        }
    }

    private SecureCatalogServer start(ApiKeyCredential admin, Map<String, Object> extra) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("admin.key"), admin.token());
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        java.util.HashMap<String, Object> props = new java.util.HashMap<>(extra);
        props.put("floe.auth.bootstrap-admin-key-file", keyFile.toString());
        props.put("floe.security.audit.file", dir.resolve("audit.log").toString());
        return SecureCatalogServer.start("file://" + dir.resolve("db"), dir, props);
    }
}
