package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * OIDC end to end: a real issuer on loopback (the JDK's HTTP server publishing a JWKS and counting
 * its fetches; tokens signed here with RS256 and ES256 keys whose public halves it publishes) and
 * the real catalog configured to trust it. Valid tokens get the roles of the configured claim;
 * every kind of bad token gets 401 with an Iceberg ErrorModel; the JWKS is cached, refetched once
 * when the issuer rotates to a new key, and not refetched for every made-up key id; Iceberg's own
 * {@link RESTCatalog} works with {@code token=<jwt>}.
 *
 * <p>The methods run in order because they share the issuer's fetch count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcAuthenticationIT {

    private static final String AUDIENCE = "floe-catalog";

    @TempDir
    static Path dir;

    private HttpServer issuerServer;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private final AtomicReference<String> published = new AtomicReference<>();
    private String issuer;
    private RSAKey rsa;
    private ECKey ec;
    private SecureCatalogServer server;
    private SecurityHttp http;

    @BeforeAll
    void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        publish(rsa, ec);
        issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuerServer.createContext("/realms/floe/protocol/openid-connect/certs", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        String base = "http://127.0.0.1:" + issuerServer.getAddress().getPort();
        // OIDC discovery documents: a true one, and one naming another issuer than the URL it is served from
        discoveryDocument("/realms/floe", base + "/realms/floe", base + "/realms/floe/protocol/openid-connect/certs");
        discoveryDocument(
                "/realms/liar",
                "https://elsewhere.example/realms/liar",
                base + "/realms/floe/protocol/openid-connect/certs");
        issuerServer.start();
        issuer = base + "/realms/floe";
        server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of(
                        "floe.auth.oidc.issuer",
                        issuer,
                        "floe.auth.oidc.jwks-uri",
                        issuer + "/protocol/openid-connect/certs",
                        "floe.auth.oidc.audience",
                        AUDIENCE,
                        // Keycloak's place for realm roles: a dotted path into the claims
                        "floe.auth.oidc.roles-claim",
                        "realm_access.roles",
                        "floe.auth.oidc.jwks-min-refresh-interval",
                        "5m",
                        // the bad-token test fails ten times from this address: no lockout for the tests after it
                        "floe.security.lockout.max-failures",
                        "1000",
                        "floe.security.audit.file",
                        dir.resolve("audit.log").toString()));
        http = new SecurityHttp(server.uri());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (issuerServer != null) {
            issuerServer.stop(0);
        }
    }

    @Test
    @Order(1)
    void validRs256AndEs256TokensCarryTheRolesOfTheConfiguredClaimAndTheJwksIsFetchedOnce() throws Exception {
        String reader = sign(rsa, claims("alice", List.of("reader")).build());
        String writer =
                sign(ec, claims("bob", List.of("writer", "offline_access")).build());

        assertThat(http.send("GET", "/v1/config", null, reader).statusCode()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/config", null, writer).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"oidc_r\"]}", reader)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"oidc_w\"]}", writer)
                        .statusCode())
                .isEqualTo(200);
        // roles only count in the configured claim: a top-level "roles": ["admin"] grants nothing
        String elsewhere = sign(
                rsa, claims("carol", List.of()).claim("roles", List.of("admin")).build());
        assertThat(http.send("GET", "/v1/config", null, elsewhere).statusCode()).isEqualTo(403);
        // RFC 9068 access tokens are typed at+jwt
        String typed = sign(
                rsa,
                new JOSEObjectType("at+jwt"),
                rsa.getKeyID(),
                claims("dave", List.of("reader")).build());
        assertThat(http.send("GET", "/v1/config", null, typed).statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(http.send("GET", "/v1/default/namespaces/oidc_w", null, writer)
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(jwksFetches.get()).as("JWKS fetches: the key set is cached").isEqualTo(1);

        List<String> audit = java.nio.file.Files.readAllLines(dir.resolve("audit.log"));
        assertThat(audit)
                .anySatisfy(line -> assertThat(line)
                        .contains("\"principal\":\"oidc:bob\"")
                        .contains("\"action\":\"namespace.create\"")
                        .contains("\"status\":200"));
    }

    @Test
    @Order(2)
    void aTokenSignedWithTheIssuersNewKeyWorksAfterOneRefetch() throws Exception {
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        publish(rotated, ec); // the issuer rotated: rsa-1 is gone, rsa-2 is new
        String token = sign(rotated, claims("erin", List.of("reader")).build());
        assertThat(http.send("GET", "/v1/config", null, token).statusCode()).isEqualTo(200);
        assertThat(jwksFetches.get()).as("one refetch for the new key id").isEqualTo(2);
        assertThat(http.send("GET", "/v1/config", null, token).statusCode()).isEqualTo(200);
        assertThat(jwksFetches.get()).isEqualTo(2);
        rsa = rotated;
    }

    @Test
    @Order(3)
    void everyKindOfBadTokenIsRejectedWith401AndAnErrorModel() throws Exception {
        Instant now = Instant.now();
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(
                "wrong-issuer",
                sign(
                        rsa,
                        claims("x", List.of("admin"))
                                .issuer("https://evil.example/realms/floe")
                                .build()));
        bad.put(
                "wrong-audience",
                sign(
                        rsa,
                        claims("x", List.of("admin"))
                                .audience("another-service")
                                .build()));
        bad.put(
                "expired",
                sign(
                        ec,
                        claims("x", List.of("admin"))
                                .issueTime(Date.from(now.minusSeconds(3600)))
                                .expirationTime(Date.from(now.minusSeconds(600)))
                                .build()));
        bad.put(
                "not-yet-valid",
                sign(
                        ec,
                        claims("x", List.of("admin"))
                                .notBeforeTime(Date.from(now.plusSeconds(600)))
                                .build()));
        bad.put(
                "no-exp",
                sign(rsa, claims("x", List.of("admin")).expirationTime(null).build()));
        bad.put("bad-signature", sign(impostor, claims("x", List.of("admin")).build()));
        bad.put("alg-none", new PlainJWT(claims("x", List.of("admin")).build()).serialize());
        bad.put(
                "hs256-with-public-key",
                hs256WithPublicKey(claims("x", List.of("admin")).build()));
        bad.put(
                "unknown-kid",
                sign(
                        new RSAKeyGenerator(2048).keyID("never-published").generate(),
                        claims("x", List.of("admin")).build()));
        bad.put(
                "tampered-payload",
                tamper(sign(rsa, claims("x", List.of("reader")).build())));

        for (Map.Entry<String, String> token : bad.entrySet()) {
            HttpResponse<String> r = http.send("GET", "/v1/config", null, token.getValue());
            assertThat(r.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .as(token.getKey())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(r.body())
                    .as(token.getKey())
                    .contains("\"type\":\"NotAuthorizedException\"")
                    .contains("\"code\":401")
                    .doesNotContain(token.getValue());
        }
        // A made-up key id was allowed no fetch: the window's two fetches went to start-up and rotation.
        assertThat(jwksFetches.get()).as("no JWKS fetch for made-up key ids").isEqualTo(2);

        MeterRegistry meters = server.context().getBean(MeterRegistry.class);
        for (String reason : List.of(
                "unknown-issuer",
                "wrong-audience",
                "expired",
                "not-yet-valid",
                "bad-signature",
                "malformed",
                "unknown-key",
                "invalid-claims")) {
            Counter counter =
                    meters.find("floe.auth.failures").tag("reason", reason).counter();
            assertThat(counter).as("floe.auth.failures{reason=%s}", reason).isNotNull();
            assertThat(counter.count()).as(reason).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void icebergRestCatalogWorksWithAnOidcToken() throws Exception {
        String writer = sign(ec, claims("spark", List.of("writer")).build());
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
        try (RESTCatalog catalog = catalog(writer)) {
            catalog.createNamespace(Namespace.of("oidc_client"));
            catalog.createTable(TableIdentifier.of("oidc_client", "events"), schema);
            assertThat(catalog.listTables(Namespace.of("oidc_client")))
                    .extracting(TableIdentifier::name)
                    .containsExactly("events");
            assertThat(catalog.loadTable(TableIdentifier.of("oidc_client", "events"))
                            .schema()
                            .columns())
                    .hasSize(1);
        }
        String reader = sign(rsa, claims("trino", List.of("reader")).build());
        try (RESTCatalog catalog = catalog(reader)) {
            assertThat(catalog.tableExists(TableIdentifier.of("oidc_client", "events")))
                    .isTrue();
            assertThatThrownBy(() -> catalog.dropTable(TableIdentifier.of("oidc_client", "events")))
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    @Order(5)
    void withoutAJwksUriTheKeysAreFoundThroughOidcDiscoveryNamingTheSameIssuer() throws Exception {
        Path other = dir.resolve("discovery");
        try (SecureCatalogServer discovering = SecureCatalogServer.start(
                "file://" + other.resolve("db"),
                other,
                Map.of(
                        "floe.auth.oidc.issuer",
                        issuer,
                        "floe.auth.oidc.audience",
                        AUDIENCE,
                        "floe.auth.oidc.roles-claim",
                        "realm_access.roles",
                        "floe.security.audit.file",
                        other.resolve("audit.log").toString()))) {
            SecurityHttp viaDiscovery = new SecurityHttp(discovering.uri());
            String reader = sign(ec, claims("frank", List.of("reader")).build());
            for (int i = 0; i < 3; i++) {
                assertThat(viaDiscovery.send("GET", "/v1/config", null, reader).statusCode())
                        .isEqualTo(200);
            }
            assertThat(discoveryFetches.get())
                    .as("the discovery document is read once")
                    .isEqualTo(1);
        }
        String liar = issuer.replace("/realms/floe", "/realms/liar");
        Path third = dir.resolve("liar");
        try (SecureCatalogServer misled = SecureCatalogServer.start(
                "file://" + third.resolve("db"),
                third,
                Map.of(
                        "floe.auth.oidc.issuer",
                        liar,
                        "floe.auth.oidc.audience",
                        AUDIENCE,
                        "floe.auth.oidc.roles-claim",
                        "realm_access.roles",
                        "floe.security.audit.file",
                        third.resolve("audit.log").toString()))) {
            // the document at the liar's URL names another issuer: its keys are not trusted
            String token =
                    sign(ec, claims("mallory", List.of("admin")).issuer(liar).build());
            HttpResponse<String> r = new SecurityHttp(misled.uri()).send("GET", "/v1/config", null, token);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("NotAuthorizedException");
        }
    }

    @Test
    @Order(6)
    void withScopeClaimsConfiguredATokenWithoutThemOrWithMalformedOnesIsRefused() throws Exception {
        Path other = dir.resolve("scoped");
        try (SecureCatalogServer scoped = SecureCatalogServer.start(
                "file://" + other.resolve("db"),
                other,
                Map.of(
                        "floe.auth.oidc.issuer",
                        issuer,
                        "floe.auth.oidc.jwks-uri",
                        issuer + "/protocol/openid-connect/certs",
                        "floe.auth.oidc.audience",
                        AUDIENCE,
                        "floe.auth.oidc.roles-claim",
                        "realm_access.roles",
                        "floe.auth.oidc.warehouse-claim",
                        "floe.warehouse",
                        "floe.auth.oidc.namespace-claim",
                        "floe.namespace",
                        "floe.security.lockout.max-failures",
                        "1000",
                        "floe.security.audit.file",
                        other.resolve("audit.log").toString()))) {
            SecurityHttp client = new SecurityHttp(scoped.uri());
            Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
            refused.put("no scope claims", Map.of());
            refused.put("no namespace claim", Map.of("warehouse", "default"));
            refused.put("no warehouse claim", Map.of("namespace", "sales"));
            refused.put("namespace not a string or list", Map.of("warehouse", "default", "namespace", 42));
            refused.put("empty namespace", Map.of("warehouse", "default", "namespace", ""));
            refused.put("empty level", Map.of("warehouse", "default", "namespace", List.of("sales", "")));
            refused.put("empty level in text", Map.of("warehouse", "default", "namespace", "sales..eu"));
            refused.put("warehouse a list", Map.of("warehouse", List.of("default"), "namespace", "sales"));
            refused.put("blank warehouse", Map.of("warehouse", " ", "namespace", "sales"));
            for (Map.Entry<String, Map<String, Object>> entry : refused.entrySet()) {
                String token = sign(
                        rsa,
                        claims("x", List.of("admin"))
                                .claim("floe", entry.getValue())
                                .build());
                HttpResponse<String> r = client.send("GET", "/v1/default/namespaces", null, token);
                assertThat(r.statusCode()).as(entry.getKey()).isEqualTo(401);
                assertThat(r.body())
                        .as(entry.getKey())
                        .contains("NotAuthorizedException")
                        .contains("\"code\":401");
            }
            // with both claims well formed, the caller is confined to them
            String sales = sign(
                    rsa,
                    claims("sales", List.of("admin"))
                            .claim("floe", Map.of("warehouse", "default", "namespace", "sales"))
                            .build());
            assertThat(client.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"sales\"]}", sales)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.send("POST", "/v1/default/namespaces", "{\"namespace\":[\"hr\"]}", sales)
                            .statusCode())
                    .isEqualTo(403);
            // the namespace claim may list levels, for a level that holds a dot
            String levels = sign(
                    ec,
                    claims("lv", List.of("reader"))
                            .claim("floe", Map.of("warehouse", "default", "namespace", List.of("sales")))
                            .build());
            assertThat(client.send("GET", "/v1/default/namespaces/sales", null, levels)
                            .statusCode())
                    .isEqualTo(200);

            assertThat(scoped.context()
                            .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                            .find("floe.auth.failures")
                            .tag("reason", "scope-claim")
                            .counter()
                            .count())
                    .isEqualTo(refused.size());
        }
    }

    private void discoveryDocument(String path, String documentIssuer, String jwksUri) {
        issuerServer.createContext(path + "/.well-known/openid-configuration", exchange -> {
            if (path.equals("/realms/floe")) {
                discoveryFetches.incrementAndGet();
            }
            byte[] body = ("{\"issuer\":\"" + documentIssuer + "\",\"jwks_uri\":\"" + jwksUri
                            + "\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private RESTCatalog catalog(String token) {
        Map<String, String> props = new HashMap<>();
        props.put("uri", server.uri().toString());
        props.put("warehouse", "default");
        props.put("token", token);
        props.put("io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize("floe-oidc", props);
        return catalog;
    }

    private void publish(JWK... keys) {
        published.set(new JWKSet(new ArrayList<>(List.of(keys))).toString(true));
    }

    private JWTClaimsSet.Builder claims(String subject, List<String> roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(List.of(AUDIENCE, "account"))
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("realm_access", Map.of("roles", roles));
    }

    private static String sign(JWK key, JWTClaimsSet claims) throws JOSEException {
        return sign(key, JOSEObjectType.JWT, key.getKeyID(), claims);
    }

    private static String sign(JWK key, JOSEObjectType type, String kid, JWTClaimsSet claims) throws JOSEException {
        JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        JWSSigner signer = key instanceof ECKey ecKey ? new ECDSASigner(ecKey) : new RSASSASigner((RSAKey) key);
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(alg).type(type).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** The classic algorithm-confusion attack: HMAC keyed with the issuer's public RSA key. */
    private String hs256WithPublicKey(JWTClaimsSet claims) throws JOSEException {
        byte[] publicKey = rsa.toPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(), claims);
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
        return jwt.serialize();
    }

    /** Swaps the payload for one granting admin, keeping the original signature. */
    private String tamper(String token) throws IOException {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"reader\"", "\"admin\"");
        return parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
