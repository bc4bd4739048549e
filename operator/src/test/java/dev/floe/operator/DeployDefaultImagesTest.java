package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.testing.KubeTools;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * deploy/default must run the operator image the Maven build tags with the project version, and
 * leave the catalog image to the operator (which derives it from its own version).
 */
class DeployDefaultImagesTest {
    static Container operatorContainer() throws Exception {
        try (InputStream in = Files.newInputStream(KubeTools.repoRoot().resolve("deploy/default/deployment.yaml"))) {
            Deployment deployment = new KubernetesSerialization().unmarshal(in, Deployment.class);
            return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals("operator"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void operatorImageTagIsTheProjectVersion() throws Exception {
        assertThat(operatorContainer().getImage())
                .as(
                        "deploy/default/deployment.yaml must name the image the build makes: update its tag with the project version")
                .isEqualTo("ghcr.io/floe-dev/floe-operator:" + OperatorVersion.current());
    }

    @Test
    void catalogImageIsLeftToTheOperatorsVersion() throws Exception {
        assertThat(operatorContainer().getEnv())
                .extracting(EnvVar::getName)
                .as("deploy/default leaves FLOE_CATALOG_IMAGE unset, so the operator runs the catalog image of its own "
                        + "version and an operator upgrade upgrades the catalogs; a pinned tag here would go stale")
                .doesNotContain("FLOE_CATALOG_IMAGE");
    }
}
