package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.testing.KubeTools;
import dev.floe.operator.testing.Manifests;
import dev.floe.operator.testing.RequestCounter;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The release manifest target/floe-operator.yaml that the build writes (tools/release/ReleaseManifest.java):
 * exactly the objects of crds/ plus `kubectl kustomize deploy/default`, field for field, and
 * `kubectl apply -f` of it installs the operator on a real API server, a second time changing nothing.
 */
@EnableKubeAPIServer(updateKubeConfigFile = false)
class ReleaseManifestIT {
    static final Path MANIFEST = Path.of("target/floe-operator.yaml");

    @KubeConfig
    static String kubeConfigYaml;

    @Test
    void releaseManifestIsTheCrdsAndTheKustomizeBase() throws IOException {
        assertThat(MANIFEST).as("the build writes it in package").exists();
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        List<HasMetadata> expected = new ArrayList<>();
        try (Stream<Path> crds = Files.list(KubeTools.repoRoot().resolve("crds"))) {
            for (Path crd : crds.sorted().toList()) {
                expected.addAll(Manifests.parse(Files.readString(crd)));
            }
        }
        expected.addAll(Manifests.parse(KubeTools.kubectl(kubeconfig, null, "kustomize", "deploy/default")
                .assertOk()
                .out()));
        List<HasMetadata> release = Manifests.parse(Files.readString(MANIFEST));

        assertThat(Manifests.identities(release))
                .isEqualTo(Manifests.identities(expected))
                .contains(
                        "CustomResourceDefinition//icebergcatalogs.floe.dev",
                        "Deployment/floe-system/floe-operator",
                        "ClusterRole//floe-edit",
                        "ClusterRole//floe-view");
        for (HasMetadata object : expected) {
            HasMetadata same = Manifests.get(
                    release,
                    object.getClass(),
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
            assertThat(same).as(Manifests.identities(List.of(object)).get(0)).isEqualTo(object);
        }
        // The namespace comes before the objects in it, so a single `kubectl apply -f` works.
        List<String> order = release.stream().map(HasMetadata::getKind).toList();
        assertThat(order.indexOf("Namespace")).isLessThan(order.indexOf("ServiceAccount"));
    }

    @Test
    void kubectlApplyOfTheReleaseManifestInstallsTheOperatorAndIsIdempotent() {
        Path kubeconfig = KubeTools.writeKubeconfig(kubeConfigYaml);
        String first = KubeTools.kubectl(
                        kubeconfig,
                        null,
                        "apply",
                        "-f",
                        MANIFEST.toAbsolutePath().toString())
                .assertOk()
                .out();
        assertThat(first).contains("deployment.apps/floe-operator created");
        try (KubernetesClient client = KubeTools.client(kubeConfigYaml, new RequestCounter())) {
            var deployment = client.apps()
                    .deployments()
                    .inNamespace("floe-system")
                    .withName("floe-operator")
                    .get();
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(client.resources(CustomResourceDefinition.class).list().getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .contains("icebergcatalogs.floe.dev", "kmsbindings.floe.dev");
            assertThat(client.rbac()
                            .clusterRoleBindings()
                            .withName("floe-operator")
                            .get())
                    .isNotNull();

            // Applying the same file again changes no object: nothing to diff, no new generation.
            // (kubectl may still print "configured" for the Deployment and the CRDs: client-side apply
            // re-sends fields the server stores differently, such as an empty env value.)
            var crd = client.resources(CustomResourceDefinition.class)
                    .withName("icebergcatalogs.floe.dev")
                    .get();
            KubeTools.kubectl(
                            kubeconfig,
                            null,
                            "apply",
                            "-f",
                            MANIFEST.toAbsolutePath().toString())
                    .assertOk();
            var diff = KubeTools.kubectl(
                    kubeconfig, null, "diff", "-f", MANIFEST.toAbsolutePath().toString());
            assertThat(diff.exitCode())
                    .as("kubectl diff after a second apply:\n" + diff.out() + diff.err())
                    .isZero();
            assertThat(client.apps()
                            .deployments()
                            .inNamespace("floe-system")
                            .withName("floe-operator")
                            .get()
                            .getMetadata()
                            .getGeneration())
                    .isEqualTo(deployment.getMetadata().getGeneration());
            assertThat(client.resources(CustomResourceDefinition.class)
                            .withName("icebergcatalogs.floe.dev")
                            .get()
                            .getMetadata()
                            .getGeneration())
                    .isEqualTo(crd.getMetadata().getGeneration());
        }
    }
}
