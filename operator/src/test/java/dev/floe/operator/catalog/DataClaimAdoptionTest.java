package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases the real-API-server ITs do not provoke; the claims are plain objects, nothing is mocked. */
class DataClaimAdoptionTest {
    static IcebergCatalog catalog(String storage) {
        IcebergCatalog c = new KubernetesSerialization()
                .unmarshal(Fixtures.catalog("c", "kms", 1, storage, ""), IcebergCatalog.class);
        c.getMetadata().setNamespace("ns");
        c.getMetadata().setUid("catalog-uid");
        return c;
    }

    static PersistentVolumeClaimBuilder claim(String size, String phase) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("c-data")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName("standard")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity(size)))
                .endResources()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus();
    }

    @Test
    void adoptsAClaimAsLargeAsTheSpecOrLargerInAnyStorageClassWhenTheSpecNamesNone() {
        IcebergCatalog catalog = catalog("embedded:\n  size: 1Gi");

        assertThat(DataClaimAdoption.problem(claim("1Gi", "Pending").build(), catalog))
                .isEmpty();
        assertThat(DataClaimAdoption.problem(claim("5Gi", "Bound").build(), catalog))
                .isEmpty();
    }

    @Test
    void aBoundClaimSmallerThanTheSpecIsAdoptedAndGrowsButAnUnboundOneCannot() {
        IcebergCatalog catalog = catalog("embedded:\n  size: 2Gi");

        assertThat(DataClaimAdoption.problem(claim("1Gi", "Bound").build(), catalog))
                .isEmpty();
        assertThat(DataClaimAdoption.problem(claim("1Gi", "Pending").build(), catalog))
                .hasValue("PersistentVolumeClaim c-data requests 1Gi and is not bound yet, so it cannot grow to"
                        + " spec.storage.embedded.size 2Gi: set size to 1Gi");
    }

    @Test
    void anotherStorageClassThanTheSpecsIsReported() {
        IcebergCatalog catalog = catalog("embedded:\n  size: 1Gi\n  storageClassName: fast");

        assertThat(DataClaimAdoption.problem(claim("1Gi", "Bound").build(), catalog))
                .hasValue("PersistentVolumeClaim c-data has storageClassName standard,"
                        + " spec.storage.embedded.storageClassName is fast: set it to standard or leave it out");
    }

    @Test
    void aClaimControlledBySomethingElseIsNotTaken() {
        PersistentVolumeClaim claim = claim("1Gi", "Bound")
                .editMetadata()
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("StatefulSet")
                .withName("db")
                .withUid("other-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();

        assertThat(DataClaimAdoption.problem(claim, catalog("embedded:\n  size: 1Gi")))
                .hasValueSatisfying(m -> assertThat(m).contains("is controlled by StatefulSet db"));
    }

    @Test
    void aBlockVolumeIsReported() {
        PersistentVolumeClaim claim = claim("1Gi", "Bound")
                .editSpec()
                .withVolumeMode("Block")
                .endSpec()
                .build();

        assertThat(DataClaimAdoption.problem(claim, catalog("embedded:\n  size: 1Gi")))
                .hasValueSatisfying(m -> assertThat(m).contains("volumeMode Block"));
    }
}
