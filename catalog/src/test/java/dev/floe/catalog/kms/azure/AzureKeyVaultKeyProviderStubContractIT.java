package dev.floe.catalog.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.crypto.SealContext;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import dev.floe.catalog.store.DataKeyRepository;
import dev.floe.catalog.testing.SqliteDataKeyStores;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * STUB CONTRACT TEST: no Azure Key Vault emulator runs here (lowkey-vault's server is not
 * published), so the real azure-security-keyvault-keys client talks HTTPS to a local stub of the
 * documented REST endpoints ({@code GET /keys/{name}}, {@code POST /keys/{name}/{version}/wrapkey}
 * and {@code /unwrapkey}, RSA-OAEP-256), including Key Vault's 401 bearer challenge. The stub holds
 * one real RSA key pair per key version. It proves request shapes and our handling, not Azure.
 */
class AzureKeyVaultKeyProviderStubContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "stub-access-token";
    private static final SealContext CTX = new SealContext("wh", "namespace", "ns", "properties");

    @TempDir
    Path dir;

    private HttpsServer stub;
    private SSLContext clientTls;
    private final Map<String, KeyPair> versions = new ConcurrentHashMap<>();
    private volatile String latest;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startStub() throws Exception {
        addVersion("v1aaaa");
        Path keystore = dir.resolve("stub.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "stub",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        stub = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        stub.createContext("/", this::handle);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private void addVersion(String version) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        versions.put(version, g.generateKeyPair());
        latest = version;
    }

    private String vaultUrl() {
        return "https://127.0.0.1:" + stub.getAddress().getPort();
    }

    private AzureKeyVaultKeyProvider provider() {
        TokenCredential credential =
                request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
        return new AzureKeyVaultKeyProvider(
                new AzureKeyVaultKeyProvider.Settings(vaultUrl(), "catalog", null, Duration.ofSeconds(5), false),
                credential,
                new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(clientTls)).build());
    }

    @Test
    void wrapsWithTheLatestVersionAndUnwrapsAfterTheBearerChallenge() {
        AzureKeyVaultKeyProvider azure = provider();
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 7);
        SecretBytes dek = SecretBytes.copyOf(raw);
        WrappedKey wrapped = azure.wrap(dek);
        assertThat(wrapped.keyId()).isEqualTo(vaultUrl() + "/keys/catalog");
        assertThat(wrapped.keyVersion()).isEqualTo("v1aaaa");
        assertThat(wrapped.ciphertext()).hasSize(256); // RSA-2048 OAEP output
        assertThat(azure.unwrap(wrapped).sameContentAs(dek)).isTrue();
        assertThat(requests)
                .contains(
                        "POST /keys/catalog/v1aaaa/wrapkey alg=RSA-OAEP-256",
                        "POST /keys/catalog/v1aaaa/unwrapkey alg=RSA-OAEP-256");
        assertThat(requests).anyMatch(r -> r.startsWith("401 "));
    }

    @Test
    void aNewKeyVersionIsPickedUpAndRewrapMovesDeksToIt() throws Exception {
        try (ResilientKeyProvider azure = new ResilientKeyProvider(provider(), KmsCallPolicy.defaults())) {
            DataKeyRepository repo = new DataKeyRepository(SqliteDataKeyStores.migrated(dir));
            DataKeyRing ring = new DataKeyRing(
                    repo, azure, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            byte[] sealed = new EnvelopeFieldSealer(ring).seal("marker-azure".getBytes(StandardCharsets.UTF_8), CTX);
            addVersion("v2bbbb");
            DataKeyRing.RewrapResult result = ring.rewrapAll();
            assertThat(result.current().version()).isEqualTo("v2bbbb");
            assertThat(result.rewrapped()).isEqualTo(1);
            versions.remove("v1aaaa");
            DataKeyRing fresh = new DataKeyRing(
                    repo, azure, new DataKeyCache(8, Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(30));
            assertThat(new EnvelopeFieldSealer(fresh).open(sealed, CTX))
                    .isEqualTo("marker-azure".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aMissingKeyVersionIsAPermanentError() {
        AzureKeyVaultKeyProvider azure = provider();
        WrappedKey ghost = new WrappedKey(new byte[256], vaultUrl() + "/keys/catalog", "nope");
        assertThatThrownBy(() -> azure.unwrap(ghost))
                .isInstanceOf(KmsException.class)
                .hasMessageContaining("HTTP 404");
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().replaceAll("/+$", "");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] bodyBytes = ex.getRequestBody().readAllBytes();
        if (auth == null || !auth.equals("Bearer " + TOKEN)) {
            requests.add("401 " + ex.getRequestMethod() + " " + path);
            ex.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", "
                                    + "resource=\"https://vault.azure.net\"");
            send(ex, 401, JSON.createObjectNode());
            return;
        }
        try {
            String[] parts = path.split("/"); // "", "keys", name, [version], [op]
            if (!ex.getRequestURI().getQuery().contains("api-version=")) {
                error(ex, 400, "BadParameter", "api-version missing");
                return;
            }
            if (parts.length == 3 && ex.getRequestMethod().equals("GET")) {
                requests.add("GET " + path);
                send(ex, 200, keyBundle(latest));
                return;
            }
            if (parts.length == 5 && ex.getRequestMethod().equals("POST")) {
                JsonNode body = JSON.readTree(bodyBytes);
                requests.add("POST " + path + " alg=" + body.path("alg").asText());
                KeyPair pair = versions.get(parts[3]);
                if (pair == null) {
                    error(ex, 404, "KeyNotFound", "A key with (name/id) catalog/" + parts[3] + " was not found");
                    return;
                }
                byte[] value = Base64.getUrlDecoder().decode(body.path("value").asText());
                Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                OAEPParameterSpec oaep =
                        new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
                if (parts[4].equals("wrapkey")) {
                    c.init(Cipher.ENCRYPT_MODE, pair.getPublic(), oaep);
                } else if (parts[4].equals("unwrapkey")) {
                    c.init(Cipher.DECRYPT_MODE, pair.getPrivate(), oaep);
                } else {
                    error(ex, 400, "BadParameter", "unsupported operation " + parts[4]);
                    return;
                }
                ObjectNode out = JSON.createObjectNode();
                out.put("kid", vaultUrl() + "/keys/catalog/" + parts[3]);
                out.put("value", Base64.getUrlEncoder().withoutPadding().encodeToString(c.doFinal(value)));
                send(ex, 200, out);
                return;
            }
            error(ex, 404, "NotFound", "no route " + path);
        } catch (Exception e) {
            error(ex, 500, "InternalError", e.toString());
        }
    }

    private ObjectNode keyBundle(String version) {
        RSAPublicKey pub = (RSAPublicKey) versions.get(version).getPublic();
        ObjectNode out = JSON.createObjectNode();
        ObjectNode key = out.putObject("key");
        key.put("kid", vaultUrl() + "/keys/catalog/" + version);
        key.put("kty", "RSA");
        key.putArray("key_ops").add("wrapKey").add("unwrapKey").add("encrypt").add("decrypt");
        key.put("n", b64url(pub.getModulus()));
        key.put("e", b64url(pub.getPublicExponent()));
        ObjectNode attributes = out.putObject("attributes");
        attributes.put("enabled", true);
        attributes.put("created", 1_700_000_000L);
        attributes.put("updated", 1_700_000_000L);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        return out;
    }

    private static String b64url(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void error(HttpExchange ex, int code, String errorCode, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode err = out.putObject("error");
        err.put("code", errorCode);
        err.put("message", message);
        send(ex, code, out);
    }

    private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
