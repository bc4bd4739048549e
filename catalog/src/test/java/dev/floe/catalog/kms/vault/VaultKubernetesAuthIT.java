package dev.floe.catalog.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.config.ConfigLoader;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import dev.floe.catalog.kms.providers.KeyProviders;
import dev.floe.catalog.server.EncryptionBeans;
import dev.floe.catalog.testing.ExternalServer;
import dev.floe.catalog.testing.VaultServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vault's Kubernetes auth method for real: a kube-apiserver + etcd (the binaries
 * {@code tools/kube/build.sh} builds, started by {@code tools/kube/cluster.sh} on free loopback ports
 * in a temporary state directory) issues service-account tokens; Vault's {@code auth/kubernetes} is
 * configured with the API server's address and CA and a token-reviewer JWT (a service account bound
 * to {@code system:auth-delegator}), and verifies every login with a TokenReview. Our vault provider,
 * configured through the TOML {@code [kms]} table, logs in with a service-account token file and
 * wraps/unwraps through Transit; a service account the role does not name is refused with an error
 * that says so; a revoked Vault token is replaced by a fresh login.
 */
class VaultKubernetesAuthIT {

    private static final String VERSION = "1.37.2";
    private static final String NS = "tenant-a";
    private static final String KEY = "floe-k8s";

    @TempDir
    static Path dir;

    static Path cluster;
    static Path kubectl;
    static Map<String, String> clusterEnv;
    static VaultServer vault;

    static Path binaries() {
        String base =
                System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        return Path.of(base, "k8s", VERSION + "-linux-amd64");
    }

    @BeforeAll
    static void startControlPlaneAndVault() throws Exception {
        Path bins = binaries();
        // The catalog module's pre-integration-test runs tools/kube/build.sh, so under `mvnw verify`
        // the binaries are there; this skip only covers running the class from an IDE on a fresh machine.
        Assumptions.assumeTrue(
                Files.isExecutable(bins.resolve("kube-apiserver"))
                        && Files.isExecutable(bins.resolve("etcd"))
                        && Files.isExecutable(bins.resolve("kubectl")),
                "no Kubernetes binaries in " + bins + ": run tools/kube/build.sh");
        kubectl = bins.resolve("kubectl");
        cluster = dir.resolve("cluster");
        startCluster(bins);
        vault = new VaultServer(dir.resolve("vault")).start();
        vault.createTransitKey(KEY);

        // Kubernetes side: the reviewer Vault uses for TokenReviews, the catalog's account, and another one.
        kubectl("create", "namespace", NS);
        kubectl("create", "serviceaccount", "vault-reviewer", "-n", "default");
        kubectl(
                "create",
                "clusterrolebinding",
                "vault-reviewer",
                "--clusterrole=system:auth-delegator",
                "--serviceaccount=default:vault-reviewer");
        kubectl("create", "serviceaccount", "floe-catalog", "-n", NS);
        kubectl("create", "serviceaccount", "intruder", "-n", NS);
        String reviewerJwt = kubectl("create", "token", "vault-reviewer", "-n", "default", "--duration=1h")
                .strip();

        // Vault side: auth/kubernetes pointed at the API server, a policy for the transit key, a role for the account.
        vault.rootCall("POST", "/v1/sys/auth/kubernetes", Map.of("type", "kubernetes"));
        vault.rootCall(
                "POST",
                "/v1/auth/kubernetes/config",
                Map.of(
                        "kubernetes_host",
                        "https://127.0.0.1:" + clusterEnv.get("FLOE_APISERVER_PORT"),
                        "kubernetes_ca_cert",
                        Files.readString(cluster.resolve("pki/ca.crt")),
                        "token_reviewer_jwt",
                        reviewerJwt,
                        "disable_local_ca_jwt",
                        true));
        vault.rootCall("PUT", "/v1/sys/policies/acl/floe-transit", Map.of("policy", """
                path "transit/encrypt/%1$s" { capabilities = ["update"] }
                path "transit/decrypt/%1$s" { capabilities = ["update"] }
                path "transit/rewrap/%1$s"  { capabilities = ["update"] }
                path "transit/keys/%1$s"    { capabilities = ["read"] }
                """.formatted(KEY)));
        vault.rootCall(
                "POST",
                "/v1/auth/kubernetes/role/floe-catalog",
                Map.of(
                        "bound_service_account_names", List.of("floe-catalog"),
                        "bound_service_account_namespaces", List.of(NS),
                        "token_policies", List.of("floe-transit"),
                        "token_ttl", "1h"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (vault != null) {
            vault.close();
        }
        if (cluster != null) {
            run(List.of(
                    ExternalServer.repoRoot().resolve("tools/kube/cluster.sh").toString(), "down", "--purge"));
        }
    }

    /**
     * Starts etcd, kube-apiserver and kube-controller-manager on free loopback ports. The ports are
     * probed free and then handed to processes that bind them seconds later; meanwhile an outgoing
     * connection of another process can take one as its ephemeral port (a clean-clone CI run once
     * saw kube-controller-manager exit at start). So a failed start is retried once, from a purged
     * state on fresh ports; a second failure fails the test.
     */
    private static void startCluster(Path bins) throws Exception {
        String script =
                ExternalServer.repoRoot().resolve("tools/kube/cluster.sh").toString();
        for (int attempt = 1; ; attempt++) {
            int etcd = freePortPair();
            clusterEnv = new HashMap<>(Map.of(
                    "FLOE_CLUSTER_DIR",
                    cluster.toString(),
                    "FLOE_ETCD_PORT",
                    Integer.toString(etcd),
                    "FLOE_APISERVER_PORT",
                    Integer.toString(ExternalServer.freePort()),
                    "FLOE_KCM_PORT",
                    Integer.toString(ExternalServer.freePort()),
                    "KUBE_API_TEST_DIR",
                    bins.getParent().getParent().toString()));
            try {
                run(List.of(script, "up"));
                return;
            } catch (IllegalStateException e) {
                if (attempt == 2) {
                    throw e;
                }
                System.err.println("VaultKubernetesAuthIT: control plane did not start, retrying on fresh ports: "
                        + e.getMessage());
                run(List.of(script, "down", "--purge"));
            }
        }
    }

    private static int freePortPair() {
        // etcd takes the port and the next one (peer); look for a pair that is free.
        for (int i = 0; i < 50; i++) {
            int p = ExternalServer.freePort();
            try (var ignored = new java.net.ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // next candidate
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }

    private static String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(clusterEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                kubectl.toString(),
                "--kubeconfig",
                cluster.resolve("kubeconfig").toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The provider as `floe serve` builds it from a [kms] table naming role and token file. */
    private static ResilientKeyProvider provider(Path tokenFile) throws Exception {
        Path toml = Files.writeString(
                dir.resolve("kms-" + System.nanoTime() + ".toml"), """
                [kms]
                provider = "vault"
                vault_addr = "%s"
                key_name = "%s"
                vault_kubernetes_role = "floe-catalog"
                vault_kubernetes_token_file = "%s"
                max_attempts = 1
                """.formatted(vault.address(), KEY, tokenFile));
        FloeConfig config = new ConfigLoader().file(toml).load();
        return KeyProviders.create(EncryptionBeans.providerSettings(config.kms()), Map.of());
    }

    private static Path tokenFile(String serviceAccount) throws Exception {
        String jwt = kubectl("create", "token", serviceAccount, "-n", NS, "--duration=1h")
                .strip();
        return Files.writeString(dir.resolve(serviceAccount + ".token"), jwt);
    }

    private static SecretBytes randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return SecretBytes.copyOf(raw);
    }

    @Test
    void theCatalogsServiceAccountLogsInAndWrapsAndUnwrapsThroughTransit() throws Exception {
        try (ResilientKeyProvider p = provider(tokenFile("floe-catalog"));
                SecretBytes dek = randomKey()) {
            WrappedKey wrapped = p.wrap(dek);
            assertThat(new String(wrapped.ciphertext(), StandardCharsets.UTF_8)).startsWith("vault:v1:");
            try (SecretBytes back = p.unwrap(wrapped)) {
                assertThat(back.sameContentAs(dek)).isTrue();
            }
            assertThat(p.currentVersion().version()).isEqualTo("1");
            assertThat(p.rewrap(wrapped).keyVersion()).isEqualTo("1");

            // Vault revokes every token the Kubernetes login issued: the provider logs in again by itself.
            vault.rootCall("PUT", "/v1/sys/leases/revoke-prefix/auth/kubernetes/login", Map.of());
            try (SecretBytes again = p.unwrap(wrapped)) {
                assertThat(again.sameContentAs(dek)).isTrue();
            }
        }
    }

    @Test
    void anotherServiceAccountIsRefusedWithAnErrorNamingTheLogin() throws Exception {
        Path token = tokenFile("intruder");
        String jwt = Files.readString(token);
        try (ResilientKeyProvider p = provider(token);
                SecretBytes dek = randomKey()) {
            assertThatThrownBy(() -> p.wrap(dek))
                    .isInstanceOf(KmsException.class)
                    .hasMessageContaining("Kubernetes auth login at auth/kubernetes as role 'floe-catalog'")
                    .hasMessageContaining("refused (HTTP 403)")
                    .hasMessageContaining("service account name not authorized")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(jwt));
            // A refusal is a definite answer, not an outage: the circuit breaker stays closed.
            assertThat(p.breakerState().name()).isEqualTo("CLOSED");
        }
    }

    @Test
    void aForgedTokenIsRejectedByTheApiServersTokenReview() throws Exception {
        String real = Files.readString(tokenFile("floe-catalog"));
        // Same header and claims, signature of another token: only a TokenReview can tell.
        String other = Files.readString(tokenFile("intruder"));
        String forged = real.substring(0, real.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
        Path token = Files.writeString(dir.resolve("forged.token"), forged);
        try (ResilientKeyProvider p = provider(token);
                SecretBytes dek = randomKey()) {
            assertThatThrownBy(() -> p.wrap(dek))
                    .isInstanceOf(KmsException.class)
                    .hasMessageContaining("Kubernetes auth login")
                    .hasMessageContaining("HTTP 403");
        }
    }
}
