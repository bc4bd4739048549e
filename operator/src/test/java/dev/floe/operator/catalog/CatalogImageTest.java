package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.status.ReconcileFailure;
import dev.floe.operator.testing.Fixtures;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogImageTest {
    static final CatalogImage OPERATOR = new CatalogImage("registry.example/floe:7.0.0");

    static IcebergCatalog catalog(String extra) {
        IcebergCatalog c = new KubernetesSerialization()
                .unmarshal(Fixtures.catalog("c", "kms", 1, "embedded:\n  size: 1Gi", extra), IcebergCatalog.class);
        c.getMetadata().setNamespace("ns");
        c.getMetadata().setGeneration(1L);
        return c;
    }

    @Test
    void specImageWinsOverTheOperatorDefault() {
        assertThat(OPERATOR.resolve(
                        catalog("image: registry.example/floe:pinned").getSpec()))
                .isEqualTo("registry.example/floe:pinned");
    }

    @Test
    void catalogWithoutSpecImageGetsTheOperatorDefault() {
        IcebergCatalog catalog = catalog("");
        assertThat(catalog.getSpec().image()).isNull();
        assertThat(OPERATOR.resolve(catalog.getSpec())).isEqualTo("registry.example/floe:7.0.0");
        assertThat(new CatalogImage("registry.example/floe:8.0.0").resolve(catalog.getSpec()))
                .as("the same resource follows a changed operator default")
                .isEqualTo("registry.example/floe:8.0.0");
    }

    @Test
    void versionDefaultNamesTheProjectsCatalogImage() {
        assertThat(CatalogImage.forVersion("0.2.0")).isEqualTo("ghcr.io/floe-dev/floe:0.2.0");
    }

    @Test
    void refusesAnEmptyOperatorDefault() {
        assertThatThrownBy(() -> new CatalogImage(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusShowsTheResolvedImage() {
        var builder = new CatalogStatusBuilder(Clock.systemUTC(), OPERATOR);
        var nothingObserved = new CatalogStatusBuilder.Observed(
                null, null, false, null, false, null, null, null, List.of(), null, null);
        assertThat(builder.build(catalog(""), nothingObserved).status().image())
                .isEqualTo("registry.example/floe:7.0.0");
        assertThat(builder.build(catalog("image: registry.example/floe:pinned"), nothingObserved)
                        .status()
                        .image())
                .isEqualTo("registry.example/floe:pinned");
        assertThat(builder.failed(catalog(""), new ReconcileFailure(ReconcileFailure.RECONCILE_FAILED, "test"))
                        .image())
                .isEqualTo("registry.example/floe:7.0.0");
    }
}
