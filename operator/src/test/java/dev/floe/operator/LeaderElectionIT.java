package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.AuditLog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes ({@code java -jar operator/target/floe-operator.jar}, each with its own
 * ServiceAccount token under deploy/default's RBAC) compete for the Lease on a real API server. The
 * API server's audit log tells their writes apart: only the Lease holder writes, the standby
 * writes nothing (not even the Lease), both report ready, and when the leader is stopped (SIGTERM,
 * as Kubernetes stops a pod) it releases the Lease, so the standby takes over well within the lease
 * duration, and reconciles a
 * catalog created meanwhile, without re-creating or conflicting with what the first leader wrote.
 */
@EnableKubeAPIServer(
        updateKubeConfigFile = false,
        apiServerFlags = {AuditLog.POLICY_FLAG, "--audit-log-path=" + LeaderElectionIT.AUDIT_LOG})
class LeaderElectionIT {
    static final String AUDIT_LOG = "target/leader-election-audit.log";
    static final String NS = "default";
    static final String LEASE_NS = "floe-system";
    /** JOSDK's defaults, which FloeOperators uses. */
    static final Duration LEASE_DURATION = Duration.ofSeconds(15);

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient admin;
    static Resources ns;
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final List<OperatorProcess> processes = new ArrayList<>();

    /** One operator JVM: its identity (HOSTNAME), token's credential id, health port and log. */
    record OperatorProcess(String identity, String credentialId, int port, Process process, Path log) {
        HttpResponse<String> probe(String path) throws IOException, InterruptedException {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    @BeforeAll
    static void installAndStartTwoOperators() throws Exception {
        Path jar = KubeTools.repoRoot().resolve("operator/target/floe-operator.jar");
        assertThat(jar)
                .as("%s is built by the package phase before the integration tests", jar)
                .isRegularFile();
        admin = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(admin);
        KubeTools.kubectl(KubeTools.writeKubeconfig(kubeConfigYaml), null, "apply", "-k", "deploy/default")
                .assertOk();
        ns = new Resources(admin, NS);
        processes.add(start(jar, "floe-operator-a"));
        processes.add(start(jar, "floe-operator-b"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (OperatorProcess p : processes) {
            p.process().destroy();
            if (!p.process().waitFor(30, TimeUnit.SECONDS)) {
                p.process().destroyForcibly();
            }
        }
        admin.close();
    }

    /** Starts the operator jar as the deploy/default ServiceAccount, with its own token. */
    static OperatorProcess start(Path jar, String identity) throws Exception {
        var token = admin.serviceAccounts()
                .inNamespace(LEASE_NS)
                .withName("floe-operator")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build());
        String jwt = token.getStatus().getToken();
        String credentialId = credentialId(jwt);
        Config config = Config.fromKubeconfig(kubeConfigYaml);
        String ca = config.getCaCertData() != null
                ? config.getCaCertData()
                : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
        Path kubeconfig = KubeTools.writeKubeconfig("""
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster:
                      server: %s
                      certificate-authority-data: %s
                users:
                  - name: operator
                    user:
                      token: %s
                contexts:
                  - name: operator
                    context: {cluster: test, user: operator, namespace: %s}
                current-context: operator
                """.formatted(config.getMasterUrl(), ca, jwt, LEASE_NS));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Path.of("target", identity + ".log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("FLOE_"));
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HOSTNAME", identity); // the Lease holder identity, as in a pod
        env.put("POD_NAMESPACE", LEASE_NS);
        env.put("FLOE_LEADER_ELECTION", "true");
        env.put("FLOE_HTTP_HOST", "127.0.0.1");
        env.put("FLOE_HTTP_PORT", Integer.toString(port));
        return new OperatorProcess(identity, credentialId, port, pb.start(), log);
    }

    /** The token's JWT id, which the API server records as the credential id of each request. */
    static String credentialId(String jwt) throws IOException {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        String jti = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(payload)
                .path("jti")
                .asText();
        assertThat(jti).as("service account tokens carry a jti").isNotBlank();
        return "JTI=" + jti;
    }

    static String holder() {
        Lease lease = admin.leases()
                .inNamespace(LEASE_NS)
                .withName(OperatorSettings.LEASE_NAME)
                .get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static OperatorProcess byIdentity(String identity) {
        return processes.stream()
                .filter(p -> p.identity().equals(identity))
                .findFirst()
                .orElseThrow();
    }

    static List<AuditLog.Write> writesBy(OperatorProcess p) {
        return AuditLog.writes(Path.of(AUDIT_LOG)).stream()
                .filter(w -> p.credentialId().equals(w.credentialId()))
                .filter(AuditLog.Write::changesState)
                .toList();
    }

    static void awaitProbe(OperatorProcess p, String path, String bodyPart) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .failFast(
                        p.identity() + " exited:\n" + p.output(),
                        () -> !p.process().isAlive())
                .ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    HttpResponse<String> r = p.probe(path);
                    assertThat(r.statusCode())
                            .as(path + " of " + p.identity() + ": " + r.body())
                            .isEqualTo(200);
                    assertThat(r.body()).contains(bodyPart);
                });
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndTheStandbyTakesOverWhenTheLeaderStops() throws Exception {
        // Both processes up; one holds the Lease; both are live and ready (the standby as standby).
        String leaderId = await().atMost(Duration.ofSeconds(90)).until(LeaderElectionIT::holder, h -> h != null);
        OperatorProcess leader = byIdentity(leaderId);
        OperatorProcess standby =
                processes.stream().filter(p -> p != leader).findFirst().orElseThrow();
        for (OperatorProcess p : processes) {
            awaitProbe(p, "/healthz", "ok");
        }
        awaitProbe(leader, "/readyz", "ready: leader");
        awaitProbe(standby, "/readyz", "standby");

        // The leader reconciles a catalog; the standby writes nothing at all.
        ns.localKms("first-kms", null);
        ns.apply(Fixtures.embeddedCatalog("first", "first-kms"));
        ns.await(Deployment.class, "first");
        ns.awaitCondition("first", "TLSReady", "True", "SelfSignedIssued");
        Secret adminKey = ns.await(Secret.class, "first-admin-key");
        Secret tls = ns.await(Secret.class, "first-selfsigned-tls");
        await().atMost(Duration.ofSeconds(30)).until(() -> !writesBy(leader).isEmpty());
        assertThat(writesBy(leader))
                .as("the leader's writes")
                .anySatisfy(w -> assertThat(w.object()).isEqualTo("deployments default/first"));
        // Both raced to create the Lease at start; the loser's create was refused (409) and changed nothing.
        assertThat(writesBy(standby))
                .as("writes by the standby " + standby.identity())
                .allSatisfy(w -> assertThat(w.verb() + " " + w.object() + " " + w.code())
                        .isEqualTo("create leases floe-system/" + OperatorSettings.LEASE_NAME + " 409"));
        assertThat(standby.probe("/readyz").body()).contains("standby");

        // Stop the leader as Kubernetes would (SIGTERM); create a catalog while nobody leads.
        Instant stopped = Instant.now();
        leader.process().destroy();
        assertThat(leader.process().waitFor(30, TimeUnit.SECONDS))
                .as("the leader exits on SIGTERM")
                .isTrue();
        ns.localKms("second-kms", null);
        ns.apply(Fixtures.embeddedCatalog("second", "second-kms"));

        await().atMost(LEASE_DURATION)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> standby.identity().equals(holder()));
        Duration takeover = Duration.between(stopped, Instant.now());
        assertThat(leader.output()).as("the stopping leader gives the Lease up").contains("released the Lease");
        ns.await(Deployment.class, "second");
        ns.await(Service.class, "second");
        ns.awaitCondition("second", "TLSReady", "True", "SelfSignedIssued");
        Duration secondReconciled = Duration.between(stopped, Instant.now());
        awaitProbe(standby, "/readyz", "ready: leader");
        System.out.printf(
                "leader %s stopped; %s held the Lease after %d ms and had reconciled the new catalog after %d ms%n",
                leader.identity(), standby.identity(), takeover.toMillis(), secondReconciled.toMillis());

        // The new leader took over the first catalog's objects as they were: no re-created key or
        // certificate, no write conflicts, every object created exactly once.
        assertThat(ns.get(Secret.class, "first-admin-key").getData()).isEqualTo(adminKey.getData());
        assertThat(ns.get(Secret.class, "first-selfsigned-tls").getData()).isEqualTo(tls.getData());
        List<AuditLog.Write> operatorWrites = new ArrayList<>(writesBy(leader));
        operatorWrites.addAll(writesBy(standby));
        assertThat(operatorWrites)
                .as("no write by either operator was refused, but for the start-up race to create the Lease")
                .filteredOn(w -> !("create".equals(w.verb()) && "leases".equals(w.resource())))
                .allSatisfy(w -> assertThat(w.code()).as(w.toString()).isLessThan(400));
        // Successful creates only: both replicas may try to create the Lease at start-up, and the loser's 409 creates
        // nothing.
        Map<String, Long> creates = operatorWrites.stream()
                .filter(w -> "create".equals(w.verb()) && !"events".equals(w.resource()) && w.code() < 400)
                .collect(Collectors.groupingBy(AuditLog.Write::object, Collectors.counting()));
        assertThat(creates)
                .as("objects created more than once")
                .allSatisfy((object, count) -> assertThat(count).as(object).isEqualTo(1L));
        assertThat(writesBy(standby))
                .as("the new leader's writes")
                .anySatisfy(w -> assertThat(w.object()).isEqualTo("deployments default/second"));
        List<AuditLog.Write> rewritesOfFirst = writesBy(standby).stream()
                .filter(w -> w.name() != null && w.name().startsWith("first") && !"events".equals(w.resource()))
                .toList();
        assertThat(rewritesOfFirst)
                .as("the new leader rewrote none of the first catalog's converged objects")
                .isEmpty();
        assertThat(ns.get(IcebergCatalog.class, "second").getStatus().observedGeneration())
                .isNotNull();
    }
}
