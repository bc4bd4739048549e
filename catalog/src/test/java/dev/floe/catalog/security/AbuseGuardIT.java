package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
                java.util.List<java.util.concurrent.Future<java.util.Map<Integer, Integer>>> futures =
                        new java.util.ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        java.util.Map<Integer, Integer> codes = new java.util.TreeMap<>();
                        for (int i = 0; i < 750; i++) {
                            codes.merge(
                                    http.send("GET", "/v1/config", null, admin.token())
                                            .statusCode(),
                                    1,
                                    Integer::sum);
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
        try (SecureCatalogServer server = start(
                admin,
                Map.of("floe.security.rate-limit.key-per-second", "0.2", "floe.security.rate-limit.key-burst", "5"))) {
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
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 10L));
            assertThat(limited.body()).contains("\"code\":429");
            // health stays reachable for probes
            assertThat(http.send("GET", "/health", null, null).statusCode()).isNotEqualTo(429);
        }
    }

    @Test
    void rateLimitsPerClientAddress() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(
                admin,
                Map.of(
                        "floe.security.rate-limit.address-per-second",
                        "0.2",
                        "floe.security.rate-limit.address-burst",
                        "3"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            int[] codes = new int[5];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = http.send("GET", "/v1/config", null, null).statusCode(); // even unauthenticated calls count
            }
            assertThat(codes).containsExactly(401, 401, 401, 429, 429);
        }
    }

    /**
     * Issue 15, item 5: failures from one address (everyone behind an ingress, SNAT or NAT) lock out
     * only the presented key id, and never a valid credential: the owner of the key being guessed,
     * and everyone else at the address, still get in, by API key and at the token endpoint.
     */
    @Test
    void failuresFromOneAddressNeverLockOutAValidCredential() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(
                admin, Map.of("floe.security.lockout.max-failures", "3", "floe.security.lockout.duration", "1m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String reader = http.createKey(admin.token(), "reader", "[\"reader\"]", null, null);
            // someone at this address guesses the admin key's secret, and someone presents an unknown key
            String guess = new ApiKeyCredential(
                            admin.keyId(), ApiKeyCredential.generate().secret())
                    .token();
            String unknown = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", "/v1/config", null, guess).statusCode())
                        .isEqualTo(401);
                assertThat(http.send("GET", "/v1/config", null, unknown).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> locked = http.send("GET", "/v1/config", null, guess);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(50L, 61L));
            assertThat(locked.body()).contains("\"code\":429");
            assertThat(http.send("GET", "/v1/config", null, unknown).statusCode())
                    .isEqualTo(429);

            assertThat(http.send("GET", "/v1/config", null, admin.token()).statusCode())
                    .isEqualTo(200);
            assertThat(http.send("GET", "/v1/config", null, reader).statusCode())
                    .isEqualTo(200);
            assertThat(http.form(
                                    "/v1/oauth/tokens",
                                    "grant_type=client_credentials&client_id=" + admin.keyId() + "&client_secret="
                                            + admin.secret(),
                                    null)
                            .statusCode())
                    .isEqualTo(200);
            // the token endpoint shares the lockout of (address, client id)
            assertThat(http.form(
                                    "/v1/oauth/tokens",
                                    "grant_type=client_credentials&client_id=" + admin.keyId() + "&client_secret="
                                            + ApiKeyCredential.generate().secret(),
                                    null)
                            .statusCode())
                    .isEqualTo(429);
        }
    }

    /** Another key's failures at the same address are counted on their own. */
    @Test
    void locksOutPerAddressAndPresentedKeyId() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(
                admin, Map.of("floe.security.lockout.max-failures", "3", "floe.security.lockout.duration", "1m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String first = ApiKeyCredential.generate().token();
            String second = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send("GET", "/v1/config", null, first).statusCode())
                        .isEqualTo(401);
            }
            assertThat(http.send("GET", "/v1/config", null, first).statusCode()).isEqualTo(429);
            assertThat(http.send("GET", "/v1/config", null, second).statusCode())
                    .isEqualTo(401);
        }
    }

    /**
     * With the ingress listed in floe.security.trusted-proxies, the client address is the one its
     * X-Forwarded-For names: clients behind it are locked out and rate-limited separately.
     */
    @Test
    void trustedProxiesForwardedForIsTheClientAddress() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(
                admin,
                Map.of(
                        "floe.security.trusted-proxies",
                        "10.1.0.0/16, 127.0.0.1",
                        "floe.security.rate-limit.address-per-second",
                        "0.1",
                        "floe.security.rate-limit.address-burst",
                        "6",
                        "floe.security.lockout.max-failures",
                        "3",
                        "floe.security.lockout.duration",
                        "1m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String wrong = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(forwarded(http, wrong, "203.0.113.7").statusCode()).isEqualTo(401);
            }
            assertLockedOut(forwarded(http, wrong, "203.0.113.7"));
            // another client behind the same ingress is not locked out
            assertThat(forwarded(http, wrong, "198.51.100.9").statusCode()).isEqualTo(401);
            // a forged left-most entry does not move the first client; a trusted hop is skipped
            assertLockedOut(forwarded(http, wrong, "198.51.100.9, 203.0.113.7"));
            assertLockedOut(forwarded(http, wrong, "203.0.113.7, 10.1.2.3"));

            // the per-address rate limit (burst 6) follows the forwarded address too
            for (int i = 0; i < 6; i++) {
                assertThat(forwarded(http, admin.token(), "192.0.2.44").statusCode())
                        .isEqualTo(200);
            }
            HttpResponse<String> limited = forwarded(http, admin.token(), "192.0.2.44");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("Rate limit exceeded");
            assertThat(forwarded(http, admin.token(), "192.0.2.45").statusCode())
                    .isEqualTo(200);
        }
    }

    /** The same, configured the way a deployment does: {@code [security] trusted_proxies} in the catalog's TOML. */
    @Test
    void trustedProxiesFromTheTomlKeyAreBelieved() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        Path toml = Files.writeString(
                dir.resolve("catalog.toml"), "[security]\ntrusted_proxies = \"10.1.0.0/16, 127.0.0.1\"\n");
        Map<String, Object> props = new java.util.HashMap<>(
                ClientAddresses.properties(new dev.floe.catalog.config.ConfigLoader().file(toml)));
        props.put("floe.security.lockout.max-failures", "3");
        props.put("floe.security.lockout.duration", "1m");
        try (SecureCatalogServer server = start(admin, props)) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String wrong = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(forwarded(http, wrong, "203.0.113.7").statusCode()).isEqualTo(401);
            }
            assertLockedOut(forwarded(http, wrong, "203.0.113.7"));
            // the lockout is the forwarded client's, not the proxy's: another client is not locked out
            assertThat(forwarded(http, wrong, "198.51.100.9").statusCode()).isEqualTo(401);
        }
    }

    private static void assertLockedOut(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).contains("failed authentication");
    }

    /** Without trusted proxies, X-Forwarded-For is ignored: a client cannot escape its lockout by sending one. */
    @Test
    void forwardedForIsIgnoredUnlessTheProxyIsTrusted() throws Exception {
        ApiKeyCredential admin = ApiKeyCredential.generate();
        try (SecureCatalogServer server = start(
                admin, Map.of("floe.security.lockout.max-failures", "3", "floe.security.lockout.duration", "1m"))) {
            SecurityHttp http = new SecurityHttp(server.uri());
            String wrong = ApiKeyCredential.generate().token();
            for (int i = 0; i < 3; i++) {
                assertThat(forwarded(http, wrong, "203.0.113." + i).statusCode())
                        .isEqualTo(401);
            }
            assertThat(forwarded(http, wrong, "198.51.100.9").statusCode()).isEqualTo(429);
        }
    }

    private static HttpResponse<String> forwarded(SecurityHttp http, String key, String forwardedFor) {
        return http.sendWithHeader("GET", "/v1/config", "Bearer " + key, "X-Forwarded-For", forwardedFor);
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
