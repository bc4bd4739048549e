package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.OperatorVersion;
import dev.floe.operator.testing.Helm;
import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.Manifests;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart charts/floe-operator with the real helm (tools/helm/build.sh, Helm 4) on a real
 * kube-apiserver: lint, templates of both RBAC modes accepted by the server, install and upgrade.
 * The API server has no node, so the operator pods never run: these tests check the objects Helm
 * makes, not that the operator starts (the node e2e suite does that).
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class HelmChartIT {
    static final String CHART = "charts/floe-operator";
    static final String OPERATOR_NS = "floe-system";

    @KubeConfig
    static String kubeConfigYaml;

    static KubernetesClient client;
    static Path kubeconfig;
    static Helm helm;

    @BeforeAll
    static void start() {
        client = KubeTools.client(kubeConfigYaml, new RequestCounter());
        kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        helm = Helm.forCluster(kubeconfig);
        for (String ns : List.of(OPERATOR_NS, "team-a", "team-b")) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .serverSideApply();
        }
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void lintPassesInBothModesAndTheValuesSchemaRejectsBadValues() {
        helm.run("lint", "--strict", CHART).assertOk();
        helm.run("lint", "--strict", CHART, "--set", "watchNamespaces={team-a,team-b}")
                .assertOk();

        var notAList = helm.run("lint", CHART, "--set", "watchNamespaces=team-a");
        assertThat(notAList.exitCode()).as(notAList.out()).isNotZero();
        assertThat(notAList.out()).contains("/watchNamespaces").contains("want array");
        var badFormat = helm.run("lint", CHART, "--set", "logFormat=xml");
        assertThat(badFormat.exitCode()).isNotZero();
        assertThat(badFormat.out()).contains("/logFormat");
    }

    @Test
    void templatesOfBothModesAreAcceptedByTheApiServer() {
        for (String[] values : List.of(new String[0], new String[] {"--set", "watchNamespaces={team-a,team-b}"})) {
            String manifest = template(values);
            List<HasMetadata> objects = Manifests.parse(manifest);
            var dryRun = KubeTools.kubectl(
                            kubeconfig, manifest, "apply", "--server-side", "--dry-run=server", "-f", "-")
                    .assertOk();
            assertThat(dryRun.out()
                            .lines()
                            .filter(l -> l.contains("serverside-applied (server dry run)"))
                            .count())
                    .as("every rendered object is accepted:\n" + dryRun.out())
                    .isEqualTo(objects.size());
        }
    }

    @Test
    void defaultRenderingIsDeployDefault() {
        List<HasMetadata> chart = Manifests.parse(template());
        List<HasMetadata> kustomize = Manifests.parse(KubeTools.kubectl(kubeconfig, null, "kustomize", "deploy/default")
                .assertOk()
                .out());

        // Same pod (image, env, probes, security, resources, volumes), so the two ways to install run the same
        // operator.
        Deployment fromChart = Manifests.get(chart, Deployment.class, OPERATOR_NS, "floe-operator");
        Deployment fromKustomize = Manifests.get(kustomize, Deployment.class, OPERATOR_NS, "floe-operator");
        assertThat(fromChart.getSpec().getTemplate().getSpec())
                .isEqualTo(fromKustomize.getSpec().getTemplate().getSpec());
        assertThat(fromChart.getSpec().getReplicas())
                .isEqualTo(fromKustomize.getSpec().getReplicas());
        assertThat(fromChart.getSpec().getTemplate().getMetadata().getAnnotations())
                .isEqualTo(fromKustomize.getSpec().getTemplate().getMetadata().getAnnotations());

        // The same disruption budget (two replicas are never both evicted) and metrics Service, each
        // selecting its own rendering's operator pods.
        for (List<HasMetadata> rendering : List.of(chart, kustomize)) {
            Deployment operator = Manifests.get(rendering, Deployment.class, OPERATOR_NS, "floe-operator");
            var pdb = Manifests.get(rendering, PodDisruptionBudget.class, OPERATOR_NS, "floe-operator")
                    .getSpec();
            assertThat(pdb.getMinAvailable().getIntVal()).isEqualTo(1);
            assertThat(pdb.getSelector().getMatchLabels())
                    .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
            var metrics = Manifests.get(rendering, Service.class, OPERATOR_NS, "floe-operator-metrics")
                    .getSpec();
            assertThat(metrics.getSelector())
                    .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
            assertThat(metrics.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http-metrics");
                assertThat(p.getPort()).isEqualTo(8080);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
        }

        // Same permissions, and the same aggregated roles for tenants.
        for (String name : List.of("floe-operator", "floe-edit", "floe-view")) {
            assertThat(Manifests.get(chart, ClusterRole.class, null, name).getRules())
                    .as(name)
                    .isEqualTo(Manifests.get(kustomize, ClusterRole.class, null, name)
                            .getRules());
        }
        assertThat(aggregationLabels(Manifests.get(chart, ClusterRole.class, null, "floe-edit")))
                .isEqualTo(aggregationLabels(Manifests.get(kustomize, ClusterRole.class, null, "floe-edit")))
                .containsKeys("rbac.authorization.k8s.io/aggregate-to-edit");
        assertThat(Manifests.get(chart, Role.class, OPERATOR_NS, "floe-operator-leader-election")
                        .getRules())
                .isEqualTo(Manifests.get(kustomize, Role.class, OPERATOR_NS, "floe-operator-leader-election")
                        .getRules());

        // Namespaced mode: the ClusterRole's rules as Roles, less the one that needs cluster scope.
        List<PolicyRule> clusterRules = Manifests.get(kustomize, ClusterRole.class, null, "floe-operator")
                .getRules();
        List<HasMetadata> namespaced = Manifests.parse(template("--set", "watchNamespaces={team-a,team-b}"));
        for (String ns : List.of("team-a", "team-b")) {
            assertThat(Manifests.get(namespaced, Role.class, ns, "floe-operator")
                            .getRules())
                    .isEqualTo(clusterRules.stream()
                            .filter(r -> !r.getApiGroups().contains("apiextensions.k8s.io"))
                            .toList());
        }
        assertThat(Manifests.get(namespaced, ClusterRole.class, null, "floe-operator-crd-read")
                        .getRules())
                .isEqualTo(clusterRules.stream()
                        .filter(r -> r.getApiGroups().contains("apiextensions.k8s.io"))
                        .toList());
    }

    @Test
    void installThenUpgradeChangesTheOperatorAndSwitchesRbacToNamespacedMode() {
        helm.run("install", "floe-operator", CHART, "--namespace", OPERATOR_NS).assertOk();

        // The chart's crds/ are installed before the templates.
        for (String crd : List.of("icebergcatalogs.floe.dev", "kmsbindings.floe.dev")) {
            assertThat(client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crd)
                            .get())
                    .as(crd)
                    .isNotNull();
        }
        Deployment installed = client.apps()
                .deployments()
                .inNamespace(OPERATOR_NS)
                .withName("floe-operator")
                .get();
        assertThat(installed.getSpec().getReplicas()).isEqualTo(2);
        assertThat(container(installed).getImage())
                .isEqualTo("ghcr.io/floe-dev/floe-operator:" + OperatorVersion.current());
        assertThat(env(installed))
                .containsEntry("FLOE_WATCH_NAMESPACES", "")
                .containsEntry("FLOE_LEADER_ELECTION", "true")
                .doesNotContainKey("FLOE_CATALOG_IMAGE");
        assertThat(client.rbac().clusterRoles().withName("floe-operator").get()).isNotNull();
        assertThat(client.rbac()
                        .clusterRoleBindings()
                        .withName("floe-operator")
                        .get()
                        .getSubjects())
                .singleElement()
                .satisfies(
                        s -> assertThat(s.getNamespace() + "/" + s.getName()).isEqualTo("floe-system/floe-operator"));
        assertThat(client.rbac()
                        .roles()
                        .inNamespace("team-a")
                        .withName("floe-operator")
                        .get())
                .isNull();
        assertThat(client.rbac().clusterRoles().withName("floe-edit").get()).isNotNull();
        assertThat(client.rbac().clusterRoles().withName("floe-view").get()).isNotNull();
        assertThat(client.resources(PodDisruptionBudget.class)
                        .inNamespace(OPERATOR_NS)
                        .withName("floe-operator")
                        .get()
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal())
                .isEqualTo(1);
        Service metrics = client.services()
                .inNamespace(OPERATOR_NS)
                .withName("floe-operator-metrics")
                .get();
        assertThat(metrics.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(metrics.getSpec().getSelector())
                .isEqualTo(installed.getSpec().getSelector().getMatchLabels());

        helm.run(
                        "upgrade",
                        "floe-operator",
                        CHART,
                        "--namespace",
                        OPERATOR_NS,
                        "--set",
                        "replicas=1",
                        "--set",
                        "image.tag=9.9.9",
                        "--set",
                        "catalogImage=registry.example/floe:9.9.9",
                        "--set",
                        "watchNamespaces={team-a,team-b}",
                        "--set",
                        "tolerations[0].key=dedicated,tolerations[0].operator=Exists",
                        "--set",
                        "podAnnotations.example\\.com/team=platform")
                .assertOk();

        Deployment upgraded = client.apps()
                .deployments()
                .inNamespace(OPERATOR_NS)
                .withName("floe-operator")
                .get();
        assertThat(upgraded.getSpec().getReplicas()).isEqualTo(1);
        assertThat(container(upgraded).getImage()).isEqualTo("ghcr.io/floe-dev/floe-operator:9.9.9");
        assertThat(env(upgraded))
                .containsEntry("FLOE_WATCH_NAMESPACES", "team-a,team-b")
                .containsEntry("FLOE_CATALOG_IMAGE", "registry.example/floe:9.9.9");
        assertThat(upgraded.getSpec().getTemplate().getSpec().getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getKey() + "/" + t.getOperator()).isEqualTo("dedicated/Exists"));
        assertThat(upgraded.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/team", "platform")
                .containsEntry("prometheus.io/scrape", "true");

        // RBAC kinds per mode: Roles in each watched namespace, no cluster-wide grant of the namespaced rules.
        for (String ns : List.of("team-a", "team-b")) {
            assertThat(client.rbac()
                            .roles()
                            .inNamespace(ns)
                            .withName("floe-operator")
                            .get())
                    .as(ns)
                    .isNotNull();
            RoleBinding binding = client.rbac()
                    .roleBindings()
                    .inNamespace(ns)
                    .withName("floe-operator")
                    .get();
            assertThat(binding.getRoleRef().getKind() + "/"
                            + binding.getRoleRef().getName())
                    .isEqualTo("Role/floe-operator");
        }
        assertThat(client.rbac().clusterRoleBindings().withName("floe-operator").get())
                .isNull();
        assertThat(client.rbac().clusterRoles().withName("floe-operator").get()).isNull();
        ClusterRoleBinding crdRead = client.rbac()
                .clusterRoleBindings()
                .withName("floe-operator-crd-read")
                .get();
        assertThat(crdRead.getRoleRef().getName()).isEqualTo("floe-operator-crd-read");
        // One replica: no PodDisruptionBudget, which would block every drain.
        assertThat(client.resources(PodDisruptionBudget.class)
                        .inNamespace(OPERATOR_NS)
                        .withName("floe-operator")
                        .get())
                .isNull();

        assertThat(helm.run("history", "floe-operator", "--namespace", OPERATOR_NS, "-o", "json")
                        .assertOk()
                        .out())
                .contains("\"revision\":2")
                .contains("\"status\":\"deployed\"");
    }

    static String template(String... values) {
        List<String> args = new java.util.ArrayList<>(
                List.of("template", "floe-operator", CHART, "--namespace", OPERATOR_NS, "--include-crds"));
        args.addAll(List.of(values));
        return helm.run(args.toArray(String[]::new)).assertOk().out();
    }

    static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("operator"))
                .findFirst()
                .orElseThrow();
    }

    static Map<String, String> env(Deployment deployment) {
        // The API server drops empty values (omitempty): "" comes back as no value.
        return container(deployment).getEnv().stream()
                .filter(e -> e.getValueFrom() == null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }

    static Map<String, String> aggregationLabels(ClusterRole role) {
        return role.getMetadata().getLabels().entrySet().stream()
                .filter(e -> e.getKey().startsWith("rbac.authorization.k8s.io/"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
