package dev.floe.catalog.kms.vault;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code vault} provider: HashiCorp Vault's (or OpenBao's) Transit secrets engine through the
 * Vault Java Driver. Data keys are wrapped with {@code transit/encrypt}, unwrapped with
 * {@code transit/decrypt} and rotated server-side with {@code transit/rewrap}, so rewrapping never
 * brings a data key into this process. The key version is the {@code vault:vN:} prefix Transit puts
 * on its ciphertexts. Authentication is a token from an environment variable, or Kubernetes auth
 * (role + the pod's service-account token file), re-done automatically when the token expires.
 */
public final class VaultTransitKeyProvider implements KeyProvider {

    /** How to authenticate: a static token, or a Kubernetes-auth login that yields one. */
    public sealed interface Auth permits TokenAuth, KubernetesAuth {}

    /** A token read when connecting (from the environment variable the configuration names). */
    public record TokenAuth(Supplier<String> token) implements Auth {}

    /**
     * Kubernetes auth: the pod's service-account JWT from {@code tokenFile}, exchanged for a Vault
     * token at {@code auth/<mount>/login} under {@code role}.
     */
    public record KubernetesAuth(String role, Path tokenFile, String mount) implements Auth {
        public KubernetesAuth {
            // Accept "kubernetes", "/kubernetes/" and "auth/kubernetes" alike.
            mount = mount == null || mount.isBlank()
                    ? "kubernetes"
                    : mount.replaceAll("^/+|/+$", "").replaceFirst("^auth/", "");
        }
    }

    /**
     * @param address      Vault address, e.g. {@code https://vault.vault.svc:8200}
     * @param transitMount Transit engine mount path (default {@code transit})
     * @param keyName      Transit key name
     * @param auth         how to get a token
     * @param timeout      connect and read timeout of one HTTP call
     */
    public record Settings(String address, String transitMount, String keyName, Auth auth, Duration timeout) {
        public Settings {
            Objects.requireNonNull(address, "[kms] vault_addr is required for provider vault");
            Objects.requireNonNull(keyName, "[kms] key_name is required for provider vault");
            Objects.requireNonNull(auth, "vault auth");
            transitMount =
                    transitMount == null || transitMount.isBlank() ? "transit" : transitMount.replaceAll("^/+|/+$", "");
        }
    }

    private final Settings settings;
    private volatile Vault vault;

    public VaultTransitKeyProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return "vault";
    }

    @Override
    public WrappedKey wrap(SecretBytes dataKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("plaintext", dataKey.apply(b -> Base64.getEncoder().encodeToString(b)));
        LogicalResponse r = call("encrypt", v -> v.logical().write(path("encrypt"), body));
        return fromTransitCiphertext(r.getData().get("ciphertext"));
    }

    @Override
    public SecretBytes unwrap(WrappedKey wrapped) {
        Map<String, Object> body = new HashMap<>();
        body.put("ciphertext", new String(wrapped.ciphertext(), StandardCharsets.UTF_8));
        LogicalResponse r = call("decrypt", v -> v.logical().write(path("decrypt"), body));
        String plaintext = r.getData().get("plaintext");
        if (plaintext == null) {
            throw new KmsException("vault: transit decrypt returned no plaintext for key " + settings.keyName());
        }
        return SecretBytes.takeOwnership(Base64.getDecoder().decode(plaintext));
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped) {
        Map<String, Object> body = new HashMap<>();
        body.put("ciphertext", new String(wrapped.ciphertext(), StandardCharsets.UTF_8));
        LogicalResponse r = call("rewrap", v -> v.logical().write(path("rewrap"), body));
        return fromTransitCiphertext(r.getData().get("ciphertext"));
    }

    @Override
    public MasterKeyVersion currentVersion() {
        LogicalResponse r =
                call("read key", v -> v.logical().read(settings.transitMount() + "/keys/" + settings.keyName()));
        String latest = r.getData().get("latest_version");
        if (latest == null) {
            throw new KmsException("vault: transit key " + settings.keyName() + " reports no latest_version");
        }
        return new MasterKeyVersion(keyId(), latest);
    }

    private String keyId() {
        return settings.transitMount() + "/" + settings.keyName();
    }

    private String path(String operation) {
        return settings.transitMount() + "/" + operation + "/" + settings.keyName();
    }

    private WrappedKey fromTransitCiphertext(String ciphertext) {
        // Transit ciphertexts look like "vault:v3:base64...": the number is the key version used.
        int end = ciphertext == null ? -1 : ciphertext.indexOf(':', "vault:v".length());
        if (ciphertext == null || !ciphertext.startsWith("vault:v") || end < 0) {
            throw new KmsException(
                    "vault: transit returned an unexpected ciphertext format for key " + settings.keyName());
        }
        String version = ciphertext.substring("vault:v".length(), end);
        return new WrappedKey(ciphertext.getBytes(StandardCharsets.UTF_8), keyId(), version);
    }

    @FunctionalInterface
    private interface VaultCall {
        LogicalResponse run(Vault vault) throws VaultException;
    }

    private LogicalResponse call(String what, VaultCall body) {
        boolean relogged = false;
        while (true) {
            try {
                LogicalResponse r = body.run(client());
                int status = r.getRestResponse().getStatus();
                if (status >= 200 && status < 300) {
                    return r;
                }
                throw new VaultException("HTTP " + status, status);
            } catch (VaultException e) {
                if (e.getHttpStatusCode() == 403 && settings.auth() instanceof KubernetesAuth && !relogged) {
                    vault = null; // token expired or revoked: log in again once
                    relogged = true;
                    continue;
                }
                throw translate(what, e);
            }
        }
    }

    private RuntimeException translate(String what, VaultException e) {
        int status = e.getHttpStatusCode();
        String message = "vault: transit " + what + " with key " + settings.keyName() + " at " + settings.address()
                + " failed" + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + safeMessage(e);
        if (status == 0 || status == 429 || status >= 500) {
            return new KmsUnavailableException(message, Duration.ofSeconds(5), e);
        }
        return new KmsException(message, e);
    }

    private static String safeMessage(VaultException e) {
        // The driver puts the response body in the message; Vault error bodies carry no secrets,
        // but cap the length so an HTML error page does not flood the log.
        String m = String.valueOf(e.getMessage());
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private Vault client() throws VaultException {
        Vault current = vault;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (vault == null) {
                vault = connect();
            }
            return vault;
        }
    }

    private VaultConfig baseConfig() {
        int seconds = (int) Math.max(1, settings.timeout().toSeconds());
        // engineVersion 1: the driver must not rewrite transit paths as if they were KV v2 paths.
        return new VaultConfig()
                .address(settings.address())
                .openTimeout(seconds)
                .readTimeout(seconds)
                .engineVersion(1);
    }

    private Vault connect() throws VaultException {
        if (settings.auth() instanceof TokenAuth t) {
            String token = t.token().get();
            if (token == null || token.isBlank()) {
                throw new KmsException("vault: the token environment variable ([kms] vault_token_env) is empty");
            }
            return Vault.create(baseConfig().token(token).build(), 1);
        }
        KubernetesAuth k = (KubernetesAuth) settings.auth();
        String jwt;
        try {
            jwt = Files.readString(k.tokenFile()).strip();
        } catch (IOException e) {
            throw new KmsException(
                    "vault: cannot read the service-account token file " + k.tokenFile() + ": " + e.getMessage());
        }
        Vault anonymous = Vault.create(baseConfig().build(), 1);
        String token;
        try {
            // The driver takes the whole path below /v1/ here ("auth/<mount>"), not the mount name alone.
            token = anonymous
                    .auth()
                    .loginByKubernetes(k.role(), jwt, "auth/" + k.mount())
                    .getAuthClientToken();
        } catch (VaultException e) {
            // Say which login failed: a refused service account must not read like a transit error.
            int status = e.getHttpStatusCode();
            String message = "vault: Kubernetes auth login at auth/" + k.mount() + " as role '" + k.role()
                    + "' with the service-account token from " + k.tokenFile() + " was refused"
                    + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + safeMessage(e);
            if (status == 0 || status == 429 || status >= 500) {
                throw new KmsUnavailableException(message, Duration.ofSeconds(5), e);
            }
            throw new KmsException(message, e);
        }
        return Vault.create(baseConfig().token(token).build(), 1);
    }
}
