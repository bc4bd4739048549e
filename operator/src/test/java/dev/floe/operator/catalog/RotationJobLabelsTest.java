package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotation Job pods must stay outside the selector of the catalog's Service, PodDisruptionBudget
 * and NetworkPolicy: a PodDisruptionBudget that matches pods owned by a Job cannot be computed by
 * the disruption controller, and every eviction of the catalog's pods (a node drain) then fails.
 * PlatformTeamE2EIT evicts a catalog pod through the eviction API beside a finished rotation pod.
 */
class RotationJobLabelsTest {

    private final IcebergCatalog catalog = catalog("lakehouse");

    @Test
    void rotationPodsDoNotMatchTheCatalogPodSelector() {
        Map<String, String> selector = CatalogNames.selector(catalog);
        for (String kind : new String[] {RotationJobs.MANUAL, RotationJobs.SCHEDULED}) {
            Map<String, String> labels = RotationJobs.labels(catalog, kind);
            assertThat(selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey()))))
                    .as("catalog selector %s must not select rotation pod labels %s", selector, labels)
                    .isFalse();
        }
    }

    @Test
    void rotationPodsStayFindableByCatalogAndKind() {
        assertThat(RotationJobs.labels(catalog, RotationJobs.MANUAL))
                .containsEntry(CatalogNames.CATALOG_LABEL, "lakehouse")
                .containsEntry(CatalogNames.ROTATION_LABEL, RotationJobs.MANUAL)
                .containsEntry("app.kubernetes.io/instance", "lakehouse")
                .containsEntry("app.kubernetes.io/name", RotationJobs.ROTATION_APP);
    }

    private static IcebergCatalog catalog(String name) {
        IcebergCatalog catalog = new IcebergCatalog();
        catalog.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("tenant").build());
        return catalog;
    }
}
