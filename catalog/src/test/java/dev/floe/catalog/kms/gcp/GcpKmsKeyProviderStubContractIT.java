package dev.floe.catalog.kms.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.core.NoCredentialsProvider;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.server.EncryptionBeans;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STUB CONTRACT TEST: no Cloud KMS emulator exists, so the real google-cloud-kms client (HTTP/JSON
 * transport) talks to a local stub of the documented REST endpoints
 * ({@code POST v1/{cryptoKey}:encrypt}, {@code :decrypt}, {@code GET v1/{cryptoKey}}), which
 * encrypts for real with one AES key per crypto key version. It proves the request shapes and our
 * handling of responses and errors, not Google's service.
 */
class GcpKmsKeyProviderStubContractIT {

    private static final String KEY = "projects/p1/locations/europe-west1/keyRings/floe/cryptoKeys/catalog";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SealContext CTX = new SealContext("wh", "namespace", "ns", "properties");

    @TempDir
    Path dir;

    private HttpServer stub;
    private final Map<Integer, byte[]> versions = new ConcurrentHashMap<>();
    private volatile int primary = 1;
    private volatile boolean failing;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile String tokenAssertion;

    @BeforeEach
    void startStub() throws IOException {
        addVersion(1);
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::handle);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private void addVersion(int v) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        versions.put(v, k);
    }

    private GcpKmsKeyProvider provider() {
        URI endpoint = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
        return new GcpKmsKeyProvider(
                new GcpKmsKeyProvider.Settings(
                        "p1", "europe-west1", "floe", "catalog", endpoint, null, Duration.ofSeconds(5)),
                NoCredentialsProvider.create());
    }

    @Test
    void wrapsWithThePrimaryVersionAndUnwraps() {
        try (GcpKmsKeyProvider gcp = provider()) {
            SecretBytes dek = SecretBytes.copyOf(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32
            });
            WrappedKey wrapped = gcp.wrap(dek);
            assertThat(wrapped.keyId()).isEqualTo(KEY);
            assertThat(wrapped.keyVersion()).isEqualTo("1");
            assertThat(gcp.unwrap(wrapped).sameContentAs(dek)).isTrue();
            assertThat(gcp.currentVersion().version()).isEqualTo("1");
            assertThat(requests)
                    .contains("POST /v1/" + KEY + ":encrypt", "POST /v1/" + KEY + ":decrypt", "GET /v1/" + KEY);
        }
    }

    @Test
    void anewPrimaryVersionIsPickedUpAndRewrapMovesDeksToIt() {
        try (ResilientKeyProvider gcp = new ResilientKeyProvider(provider(), KmsCallPolicy.defaults())) {
            DataKeyRepository repo = new DataKeyRepository(SqliteDataKeyStores.migrated(dir));
            DataKeyRing ring = new DataKeyRing(
                    repo, gcp, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            byte[] sealed = new EnvelopeFieldSealer(ring).seal("marker-gcp".getBytes(StandardCharsets.UTF_8), CTX);

            addVersion(2);
            primary = 2;
            DataKeyRing.RewrapResult result = ring.rewrapAll();
            assertThat(result.current().version()).isEqualTo("2");
            assertThat(result.rewrapped()).isEqualTo(1);
            versions.remove(1); // version 1 destroyed on the "server": only the rewrapped DEK can still open
            DataKeyRing fresh = new DataKeyRing(
                    repo, gcp, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            assertThat(new EnvelopeFieldSealer(fresh).open(sealed, CTX))
                    .isEqualTo("marker-gcp".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void unavailableIsTransientAndBadCiphertextIsPermanent() {
        try (GcpKmsKeyProvider gcp = provider()) {
            WrappedKey bogus = new WrappedKey(new byte[] {9, 9, 9}, KEY, "1");
            assertThatThrownBy(() -> gcp.unwrap(bogus))
                    .isInstanceOf(KmsException.class)
                    .hasMessageContaining("INVALID_ARGUMENT");
            failing = true;
            assertThatThrownBy(() -> gcp.wrap(SecretBytes.copyOf(new byte[32])))
                    .isInstanceOf(KmsUnavailableException.class)
                    .hasMessageContaining("UNAVAILABLE");
        }
    }

    @Test
    void configuredFromTheTomlKmsTableWithCredentialsFileAndEndpoint() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String base = "http://127.0.0.1:" + stub.getAddress().getPort();
        ObjectNode sa = JSON.createObjectNode()
                .put("type", "service_account")
                .put("project_id", "p1")
                .put("private_key_id", "k1")
                .put("private_key", pem)
                .put("client_email", "floe-catalog@p1.iam.gserviceaccount.com")
                .put("client_id", "1")
                .put("token_uri", base + "/token");
        Path credentials = Files.writeString(dir.resolve("sa.json"), JSON.writeValueAsString(sa));
        Path toml = Files.writeString(dir.resolve("gcp.toml"), """
                [kms]
                provider = "gcp"
                project_id = "p1"
                location = "europe-west1"
                key_ring = "floe"
                crypto_key = "catalog"
                credentials_file = "%s"
                endpoint = "%s"
                """.formatted(credentials, base));
        FloeConfig config = new ConfigLoader().file(toml).load();
        try (ResilientKeyProvider gcp = KeyProviders.create(EncryptionBeans.providerSettings(config.kms()), Map.of());
                SecretBytes dek = SecretBytes.copyOf(new byte[32])) {
            WrappedKey wrapped = gcp.wrap(dek);
            assertThat(wrapped.keyId()).isEqualTo(KEY);
            assertThat(gcp.unwrap(wrapped).sameContentAs(dek)).isTrue();
        }
        // The key file was used: a JWT-bearer grant signed for its account, then its access token on every call.
        assertThat(tokenAssertion).contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
        assertThat(requests).contains("POST /token", "POST /v1/" + KEY + ":encrypt", "POST /v1/" + KEY + ":decrypt");
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).startsWith("POST /v1/")) {
                assertThat(authorizations.get(i)).isEqualTo("Bearer stub-access-token");
            }
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        try {
            if (path.equals("/token")) {
                // The OAuth token endpoint a service-account key file names (token_uri): JWT bearer grant.
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                tokenAssertion = form;
                send(
                        ex,
                        200,
                        JSON.createObjectNode()
                                .put("access_token", "stub-access-token")
                                .put("expires_in", 3600)
                                .put("token_type", "Bearer"));
                return;
            }
            if (failing) {
                error(ex, 503, "UNAVAILABLE", "The service is currently unavailable.");
                return;
            }
            JsonNode body = ex.getRequestMethod().equals("POST") ? JSON.readTree(ex.getRequestBody()) : null;
            ObjectNode out = JSON.createObjectNode();
            if (path.equals("/v1/" + KEY + ":encrypt")) {
                byte[] plain = Base64.getDecoder().decode(body.path("plaintext").asText());
                out.put("name", KEY + "/cryptoKeyVersions/" + primary);
                out.put("ciphertext", Base64.getEncoder().encodeToString(seal(primary, plain)));
            } else if (path.equals("/v1/" + KEY + ":decrypt")) {
                byte[] ct = Base64.getDecoder().decode(body.path("ciphertext").asText());
                byte[] plain = open(ct);
                if (plain == null) {
                    error(ex, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
                    return;
                }
                out.put("plaintext", Base64.getEncoder().encodeToString(plain));
            } else if (path.equals("/v1/" + KEY) && ex.getRequestMethod().equals("GET")) {
                out.put("name", KEY);
                out.putObject("primary").put("name", KEY + "/cryptoKeyVersions/" + primary);
            } else {
                error(ex, 404, "NOT_FOUND", "no such resource " + path);
                return;
            }
            send(ex, 200, out);
        } catch (RuntimeException e) {
            error(ex, 500, "INTERNAL", e.toString());
        }
    }

    private byte[] seal(int version, byte[] plain) {
        try {
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(versions.get(version), "AES"),
                    new GCMParameterSpec(128, nonce));
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(4 + 12 + ct.length)
                    .putInt(version)
                    .put(nonce)
                    .put(ct)
                    .array();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] open(byte[] blob) {
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            byte[] key = versions.get(in.getInt());
            byte[] nonce = new byte[12];
            in.get(nonce);
            byte[] ct = new byte[in.remaining()];
            in.get(ct);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            return c.doFinal(ct);
        } catch (Exception e) {
            return null;
        }
    }

    private static void error(HttpExchange ex, int code, String status, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode err = out.putObject("error");
        err.put("code", code);
        err.put("message", message);
        err.put("status", status);
        send(ex, code, out);
    }

    private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
