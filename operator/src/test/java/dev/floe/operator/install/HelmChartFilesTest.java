package dev.floe.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.OperatorVersion;
import dev.floe.operator.testing.KubeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's files that must follow the rest of the repository: its crds/ are copies of the
 * generated crds/ (Helm installs CRDs only from the chart's own crds/ folder, so a copy is needed;
 * this test keeps it from drifting), and its appVersion, the default operator image tag, is the
 * version the build tags the image with.
 */
class HelmChartFilesTest {
    static final Path CHART = KubeTools.repoRoot().resolve("charts/floe-operator");
    static final String HOW_TO_REFRESH = "charts/floe-operator/crds/ is stale: refresh it (with crds/) by "
            + "`./mvnw -B -pl operator process-classes -Pupdate-crds` and commit both";

    @Test
    void chartCrdsAreTheGeneratedCrds() throws IOException {
        List<String> committed = yamlFiles(KubeTools.repoRoot().resolve("crds"));
        assertThat(yamlFiles(CHART.resolve("crds")))
                .as(HOW_TO_REFRESH)
                .isEqualTo(committed)
                .isNotEmpty();
        for (String name : committed) {
            assertThat(Files.readString(CHART.resolve("crds").resolve(name)))
                    .as(HOW_TO_REFRESH + " (" + name + " differs)")
                    .isEqualTo(Files.readString(
                            KubeTools.repoRoot().resolve("crds").resolve(name)));
        }
    }

    @Test
    void appVersionIsTheProjectVersion() throws IOException {
        assertThat(Files.readAllLines(CHART.resolve("Chart.yaml")))
                .as("charts/floe-operator/Chart.yaml appVersion is the default image tag: keep it the project version")
                .contains("appVersion: \"" + OperatorVersion.current() + "\"");
    }

    static List<String> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }
}
