package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.FloeOperators;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.Manifests;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/namespaced on a real API server: the operator, authenticated as its own ServiceAccount
 * with only the overlay's Roles (and the cluster-wide read of the cert-manager CRD), starts
 * (informers scoped to the watched namespace: a cluster-wide list would be forbidden and stop the
 * start-up), reconciles a catalog in the watched namespace and leaves one elsewhere alone. With
 * kube-controller-manager's clusterrole-aggregation controller, the floe-edit/floe-view roles reach
 * the built-in edit and view roles, so a tenant with edit in a namespace manages catalogs there.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class NamespacedInstallIT {
    static final String WATCHED = "floe-catalogs";

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient admin;
    // Not a KubernetesClient field: kube-api-test injects its own client into the one such field.
    static OperatorClient asServiceAccount;
    static OperatorRunner operator;
    static Process controllerManager;

    @BeforeAll
    static void installNamespacedAndStartAsServiceAccount() throws IOException {
        admin = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(admin);
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        KubeTools.kubectl(kubeconfig, null, "apply", "-k", "deploy/namespaced").assertOk();
        controllerManager = startAggregationController(kubeconfig);

        String token = admin.serviceAccounts()
                .inNamespace("floe-system")
                .withName("floe-operator")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Config adminConfig = Config.fromKubeconfig(kubeConfigYaml);
        asServiceAccount = new OperatorClient(FloeOperators.clientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(adminConfig.getMasterUrl())
                        .withCaCertData(adminConfig.getCaCertData())
                        .withCaCertFile(adminConfig.getCaCertFile())
                        .withTrustCerts(adminConfig.isTrustCerts())
                        .withOauthToken(token)
                        .build())
                .build());
        // The operator's settings are the overlay's Deployment environment.
        Deployment deployment = admin.apps()
                .deployments()
                .inNamespace("floe-system")
                .withName("floe-operator")
                .get();
        String watch = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("FLOE_WATCH_NAMESPACES"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
        assertThat(watch).isEqualTo(WATCHED);
        operator = OperatorRunner.start(asServiceAccount.client(), Map.of("FLOE_WATCH_NAMESPACES", watch));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (operator != null) {
            operator.close();
        }
        if (controllerManager != null) {
            controllerManager.destroy();
            if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
                controllerManager.destroyForcibly();
            }
        }
        if (asServiceAccount != null) {
            asServiceAccount.close();
        }
        admin.close();
    }

    @Test
    void reconcilesTheWatchedNamespaceOnlyWithoutClusterWideAccess() {
        // The operator's identity has no cluster-wide grant besides the CRD read.
        assertThatThrownBy(() ->
                        asServiceAccount.client().secrets().inAnyNamespace().list())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("forbidden");
        assertThat(admin.rbac().clusterRoleBindings().withName("floe-operator").get())
                .isNull();

        Resources unwatched = new Resources(admin, "default");
        unwatched.localKms("elsewhere-kms", null);
        unwatched.apply(Fixtures.embeddedCatalog("elsewhere", "elsewhere-kms"));
        Resources watched = new Resources(admin, WATCHED);
        watched.localKms("tenant-kms", null);
        watched.apply(Fixtures.embeddedCatalog("tenant", "tenant-kms"));

        watched.await(Deployment.class, "tenant");
        watched.awaitCondition("tenant", "KmsReady", "True", "KmsBindingReady");
        await().atMost(Resources.WAIT).until(() -> watched.hasEvent("tenant", "KmsBindingReady"));
        // Created first, yet never touched: no status, no objects.
        assertThat(unwatched.get(IcebergCatalog.class, "elsewhere").getStatus()).isNull();
        assertThat(unwatched.get(Deployment.class, "elsewhere")).isNull();
    }

    @Test
    void watchedNamespaceRoleHasTheClusterRolesRulesLessTheCrdRead() throws IOException {
        ClusterRole clusterRole = Manifests.get(
                Manifests.parse(Files.readString(KubeTools.repoRoot().resolve("deploy/default/cluster-role.yaml"))),
                ClusterRole.class,
                null,
                "floe-operator");
        assertThat(admin.rbac()
                        .roles()
                        .inNamespace(WATCHED)
                        .withName("floe-operator")
                        .get()
                        .getRules())
                .as("deploy/namespaced/watched-namespace.yaml must grant what deploy/default/cluster-role.yaml grants")
                .isEqualTo(clusterRole.getRules().stream()
                        .filter(r -> !r.getApiGroups().contains("apiextensions.k8s.io"))
                        .toList());
        assertThat(admin.rbac()
                        .clusterRoles()
                        .withName("floe-operator-crd-read")
                        .get()
                        .getRules())
                .isEqualTo(clusterRole.getRules().stream()
                        .filter(r -> r.getApiGroups().contains("apiextensions.k8s.io"))
                        .toList());
    }

    @Test
    void tenantsWithEditOrViewGetTheAggregatedFloeRoles() {
        bind("alice", "edit", WATCHED);
        bind("bob", "view", WATCHED);
        // kube-controller-manager copies floe-edit/floe-view's rules into edit/view asynchronously.
        await().atMost(Resources.WAIT).until(() -> allowed("alice", "create", "icebergcatalogs", WATCHED));
        await().atMost(Resources.WAIT).until(() -> allowed("bob", "list", "icebergcatalogs", WATCHED));
        assertThat(allowed("alice", "delete", "kmsbindings", WATCHED)).isTrue();
        assertThat(allowed("bob", "create", "icebergcatalogs", WATCHED))
                .as("view reads only")
                .isFalse();
        assertThat(allowed("alice", "create", "icebergcatalogs", "default"))
                .as("edit is bound in one namespace")
                .isFalse();
        assertThat(admin.rbac().clusterRoles().withName("admin").get().getRules())
                .as("admin aggregates edit")
                .anyMatch(r -> r.getResources().contains("icebergcatalogs")
                        && r.getVerbs().contains("create"));

        // And for real: alice creates a catalog through the API server as herself.
        Config config = new ConfigBuilder(Config.fromKubeconfig(kubeConfigYaml))
                .withImpersonateUsername("alice")
                .build();
        try (KubernetesClient asAlice =
                new KubernetesClientBuilder().withConfig(config).build()) {
            new Resources(asAlice, WATCHED).apply(Fixtures.embeddedCatalog("alices", "tenant-kms"));
            assertThat(asAlice.resources(IcebergCatalog.class)
                            .inNamespace(WATCHED)
                            .withName("alices")
                            .get())
                    .isNotNull();
            assertThatThrownBy(() -> asAlice.secrets().inNamespace("default").list())
                    .hasMessageContaining("forbidden");
        }
    }

    static void bind(String user, String clusterRole, String namespace) {
        admin.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(user + "-" + clusterRole)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                        .addNewSubject()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName(user)
                        .endSubject()
                        .build())
                .serverSideApply();
    }

    static boolean allowed(String user, String verb, String resource, String namespace) {
        SubjectAccessReview review = admin.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(user)
                        .withNewResourceAttributes()
                        .withGroup("floe.dev")
                        .withResource(resource)
                        .withVerb(verb)
                        .withNamespace(namespace)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus().getAllowed();
    }

    static Process startAggregationController(Path kubeconfig) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        File log = File.createTempFile("kube-controller-manager", ".log");
        // Only the controller that fills aggregated ClusterRoles: nothing else is needed here.
        return new ProcessBuilder(
                        KubeTools.binaryDir().resolve("kube-controller-manager").toString(),
                        "--kubeconfig=" + kubeconfig,
                        "--authentication-kubeconfig=" + kubeconfig,
                        "--authorization-kubeconfig=" + kubeconfig,
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + port,
                        "--leader-elect=false",
                        "--controllers=clusterrole-aggregation",
                        "--use-service-account-credentials=false",
                        "--profiling=false")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }
}
