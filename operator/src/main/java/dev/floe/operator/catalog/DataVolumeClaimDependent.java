package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Map;

/**
 * The PersistentVolumeClaim holding the embedded SQLite database. Created once; afterwards only a
 * larger spec.storage.embedded.size is applied (the one change Kubernetes allows on a bound claim,
 * when its StorageClass has allowVolumeExpansion). Shrinking is refused by the CRD's CEL rule,
 * and a claim already larger than the spec (grown by hand) is left alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class DataVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, IcebergCatalog>
        implements Creator<PersistentVolumeClaim, IcebergCatalog>, Updater<PersistentVolumeClaim, IcebergCatalog>,
        GarbageCollected<IcebergCatalog> {

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

    /** Up to date unless the spec asks for more storage than the claim requests. */
    @Override
    public Matcher.Result<PersistentVolumeClaim> match(PersistentVolumeClaim actual, IcebergCatalog catalog,
                                                       Context<IcebergCatalog> context) {
        return Matcher.Result.nonComputed(!grows(actual, catalog));
    }

    static boolean grows(PersistentVolumeClaim actual, IcebergCatalog catalog) {
        Quantity requested = actual.getSpec() == null || actual.getSpec().getResources() == null
                || actual.getSpec().getResources().getRequests() == null ? null
                : actual.getSpec().getResources().getRequests().get("storage");
        Quantity wanted = new Quantity(catalog.getSpec().storage().embedded().sizeOrDefault());
        return requested == null || wanted.getNumericalAmount().compareTo(requested.getNumericalAmount()) > 0;
    }
}
