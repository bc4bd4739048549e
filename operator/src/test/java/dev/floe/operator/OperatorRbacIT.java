package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.testing.Crds;
import dev.floe.operator.testing.Fixtures;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.OperatorClient;
import dev.floe.operator.testing.OperatorRunner;
import dev.floe.operator.testing.RequestCounter;
import dev.floe.operator.testing.Resources;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator authenticated as its own ServiceAccount (a TokenRequest token, no admin
 * certificate) under deploy/default's ClusterRole: it reconciles everything; when a rule is
 * removed, the failure shows up in the catalog's or the KmsBinding's status and as an event.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class OperatorRbacIT {
    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient admin;
    static OperatorClient asServiceAccount;
    static OperatorRunner operator;
    static Resources ns;

    @BeforeAll
    static void installWithKustomizeAndStartAsServiceAccount() {
        admin = KubeTools.client(kubeConfigYaml, new RequestCounter());
        Crds.installFloe(admin);
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        KubeTools.kubectl(kubeconfig, null, "apply", "-k", "deploy/default").assertOk();

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
        Config saConfig = new ConfigBuilder()
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertData(adminConfig.getCaCertData())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withTrustCerts(adminConfig.isTrustCerts())
                .withOauthToken(token)
                .build();
        asServiceAccount = new OperatorClient(
                new KubernetesClientBuilder().withConfig(saConfig).build());
        assertThat(asServiceAccount
                        .client()
                        .authentication()
                        .v1()
                        .selfSubjectReviews()
                        .create(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview())
                        .getStatus()
                        .getUserInfo()
                        .getUsername())
                .isEqualTo("system:serviceaccount:floe-system:floe-operator");
        operator = OperatorRunner.start(asServiceAccount.client());
        ns = new Resources(admin, "default");
    }

    @AfterAll
    static void stop() {
        operator.close();
        asServiceAccount.close();
        admin.close();
    }

    @Test
    void reconcilesEverythingUnderTheShippedClusterRoleAndFailsVisiblyWithoutARule() {
        ns.localKms("rbac-kms", "0 3 * * 0");
        ns.apply(Fixtures.catalog("rbac", "rbac-kms", 1, "embedded:\n  size: 1Gi", "networkPolicy:\n  enabled: true"));
        ns.await(ServiceAccount.class, "rbac-catalog");
        ns.await(ConfigMap.class, "rbac-config");
        ns.await(Secret.class, "rbac-admin-key");
        ns.await(Secret.class, "rbac-selfsigned-tls");
        ns.await(Service.class, "rbac");
        ns.await(Deployment.class, "rbac");
        ns.await(CronJob.class, "rbac-rotate-keys");
        ns.awaitCondition("rbac", "KmsReady", "True", "KmsBindingReady");
        ns.awaitCondition("rbac", "TLSReady", "True", "SelfSignedIssued");
        await().atMost(Resources.WAIT).until(() -> ns.hasEvent("rbac", "KmsBindingReady"));

        // Take away the Deployment rule: the next change cannot be applied, and the user sees why.
        ClusterRole role = admin.rbac().clusterRoles().withName("floe-operator").get();
        role.getRules().removeIf(r -> r.getApiGroups().contains("apps"));
        admin.rbac().clusterRoles().resource(role).update();
        ns.apply(Fixtures.catalog(
                "rbac",
                "rbac-kms",
                1,
                "embedded:\n  size: 1Gi",
                "networkPolicy:\n  enabled: true\nimage: registry.example/floe:9"));

        ns.awaitCondition("rbac", "Ready", "False", "ReconcileFailed");
        // One short line naming the refused request, never a stack trace or the client's dump.
        String message = ns.condition("rbac", "Ready").getMessage();
        assertThat(message)
                .contains("HTTP 403 Forbidden")
                .contains("cannot patch resource \"deployments\" in API group \"apps\"")
                .contains("ClusterRole floe-operator")
                .doesNotContain("\n")
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("Received status");
        assertThat(message.length()).isLessThan(400);
        assertThat(ns.get(IcebergCatalog.class, "rbac").getStatus().conditions())
                .anySatisfy(c -> assertThat(c.getType() + "/" + c.getStatus()).isEqualTo("Degraded/True"));
        await().atMost(Resources.WAIT).until(() -> ns.hasEvent("rbac", "ReconcileFailed"));
        assertThat(admin.v1().events().inNamespace("default").list().getItems().stream()
                        .filter(e -> "ReconcileFailed".equals(e.getReason()))
                        .map(io.fabric8.kubernetes.api.model.Event::getMessage))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).doesNotContain("\n").hasSizeLessThan(400));
    }

    @Test
    void kmsBindingShowsAForbiddenSecretReadAsReconcileFailedWithAWarningEventAndRecovers() {
        ClusterRole shipped =
                admin.rbac().clusterRoles().withName("floe-operator").get();
        // Take secrets out of the core-group rule: the binding's credentials Secret cannot be read.
        ClusterRole withoutSecrets =
                admin.rbac().clusterRoles().withName("floe-operator").get();
        withoutSecrets.getRules().stream()
                .filter(r -> r.getApiGroups().contains("") && r.getResources().contains("secrets"))
                .forEach(r -> r.setResources(new ArrayList<>(r.getResources().stream()
                        .filter(x -> !"secrets".equals(x))
                        .toList())));
        admin.rbac().clusterRoles().resource(withoutSecrets).update();
        try {
            ns.localKms("denied-kms", null);

            await().atMost(Resources.WAIT)
                    .untilAsserted(() -> assertThat(bindingReady("denied-kms"))
                            .extracting(c -> c.getStatus() + "/" + c.getReason())
                            .isEqualTo("False/ReconcileFailed"));
            // One bounded line naming the refused request, never a stack trace or the client's dump.
            String message = bindingReady("denied-kms").getMessage();
            assertThat(message)
                    .contains("HTTP 403 Forbidden")
                    .contains("cannot get resource \"secrets\"")
                    .contains("ClusterRole floe-operator")
                    .doesNotContain("\n")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception")
                    .doesNotContain("Received status");
            assertThat(message.length()).isLessThanOrEqualTo(dev.floe.operator.status.ReconcileFailure.MAX_LENGTH);
            await().atMost(Resources.WAIT).until(() -> ns.hasEvent("denied-kms", "ReconcileFailed"));
            assertThat(admin.v1().events().inNamespace("default").list().getItems().stream()
                            .filter(e ->
                                    "denied-kms".equals(e.getInvolvedObject().getName())
                                            && "ReconcileFailed".equals(e.getReason())))
                    .isNotEmpty()
                    .allSatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getMessage()).isEqualTo(message);
                    });
        } finally {
            shipped.getMetadata().setResourceVersion(null);
            admin.rbac().clusterRoles().resource(shipped).update();
        }
        // With the rule back, the next reconcile (a change to the binding) reads the Secret: Ready again.
        ns.annotate(KmsBinding.class, "denied-kms", "floe.dev/test-nudge", "1");
        await().atMost(Resources.WAIT)
                .untilAsserted(() -> assertThat(bindingReady("denied-kms"))
                        .extracting(c -> c.getStatus() + "/" + c.getReason())
                        .isEqualTo("True/BindingReady"));
    }

    private static Condition bindingReady(String name) {
        KmsBinding binding = ns.get(KmsBinding.class, name);
        if (binding == null
                || binding.getStatus() == null
                || binding.getStatus().conditions() == null) {
            return null;
        }
        return binding.getStatus().conditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
