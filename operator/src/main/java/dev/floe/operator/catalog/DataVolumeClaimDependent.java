package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Map;

/**
 * The PersistentVolumeClaim holding the embedded SQLite database. Create-only: most of a claim's
 * spec is immutable, and resizing is left to the user (kubectl edit pvc) rather than risked here.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class DataVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, IcebergCatalog>
        implements Creator<PersistentVolumeClaim, IcebergCatalog>, GarbageCollected<IcebergCatalog> {

    public DataVolumeClaimDependent() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        var embedded = catalog.getSpec().storage().embedded();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(CatalogNames.dataClaim(catalog))
                .withNamespace(catalog.getMetadata().getNamespace())
                .withLabels(CatalogNames.labels(catalog, "storage"))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(embedded.storageClassName())
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity(embedded.sizeOrDefault())))
                .endResources()
                .endSpec()
                .build();
    }
}
