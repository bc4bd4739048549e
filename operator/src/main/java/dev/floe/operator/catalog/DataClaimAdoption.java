package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a PersistentVolumeClaim found under a catalog's data-claim name ({@code <name>-data}) but
 * without the operator's labels (one a user made for a restore, or to re-attach a kept volume) can
 * be adopted. As Strimzi does with claims under its names, the name is the request: the operator
 * adds its labels (and, with deleteClaim, its owner reference) with server-side apply and keeps
 * everything else. What the API server would refuse to change on an existing claim, or what would
 * take another owner's claim, is reported instead, with what to change.
 */
final class DataClaimAdoption {
    static final String NOT_ADOPTABLE = "DataClaimNotAdoptable";

    private DataClaimAdoption() {}

    /**
     * True when the catalog has embedded storage and a claim under its data-claim name that is not
     * the operator's (no {@link CatalogNames#MANAGED_SELECTOR} label) and cannot be adopted: the
     * Deployment must not be created to mount it. No claim yet (the operator creates it) or one
     * it already manages is no reason to wait. Read directly, like the data dependent does for an
     * unlabelled claim, because the informer sees only claims with the operator's label.
     */
    static boolean refusesToStartOn(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (!catalog.getSpec().storage().usesEmbedded()) {
            return false;
        }
        PersistentVolumeClaim claim = context.getClient()
                .persistentVolumeClaims()
                .inNamespace(catalog.getMetadata().getNamespace())
                .withName(CatalogNames.dataClaim(catalog))
                .get();
        if (claim == null) {
            return false;
        }
        var labels = claim.getMetadata().getLabels();
        boolean managed = labels != null
                && CatalogNames.OPERATOR.equals(labels.get(CatalogNames.MANAGED_BY))
                && catalog.getMetadata().getName().equals(labels.get(CatalogNames.CATALOG_LABEL));
        return !managed && problem(claim, catalog).isPresent();
    }

    /** Empty when the claim can be adopted; otherwise the condition message saying what to change. */
    static Optional<String> problem(PersistentVolumeClaim claim, IcebergCatalog catalog) {
        String name = "PersistentVolumeClaim " + claim.getMetadata().getName() + " ";
        String catalogName = catalog.getMetadata().getName();
        var labels = claim.getMetadata().getLabels();
        String labelled = labels == null ? null : labels.get(CatalogNames.CATALOG_LABEL);
        if (labelled != null && !labelled.equals(catalogName)) {
            return Optional.of(name + "has label " + CatalogNames.CATALOG_LABEL + "=" + labelled
                    + ", so it is not this catalog's: set the label to " + catalogName + " to hand it over");
        }
        Optional<OwnerReference> controller = claim.getMetadata().getOwnerReferences() == null
                ? Optional.empty()
                : claim.getMetadata().getOwnerReferences().stream()
                        .filter(o -> Boolean.TRUE.equals(o.getController()))
                        .filter(o -> !Objects.equals(
                                o.getUid(), catalog.getMetadata().getUid()))
                        .findFirst();
        if (controller.isPresent()) {
            return Optional.of(name + "is controlled by " + controller.get().getKind() + " "
                    + controller.get().getName() + ": remove that owner reference to hand it to this catalog");
        }
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            return Optional.of(name + "is being deleted: once it is gone the operator creates a new one");
        }
        var spec = claim.getSpec();
        if (!List.of("ReadWriteOnce").equals(spec.getAccessModes())) {
            return Optional.of(name + "has accessModes " + spec.getAccessModes()
                    + "; the catalog needs [ReadWriteOnce], which a claim cannot change: recreate it with that");
        }
        if ("Block".equals(spec.getVolumeMode())) {
            return Optional.of(name + "has volumeMode Block; the catalog needs a file system: recreate it"
                    + " with volumeMode Filesystem");
        }
        String wantedClass = catalog.getSpec().storage().embedded().storageClassName();
        if (wantedClass != null && !wantedClass.equals(spec.getStorageClassName())) {
            return Optional.of(name + "has storageClassName " + spec.getStorageClassName()
                    + ", spec.storage.embedded.storageClassName is " + wantedClass + ": set it to "
                    + spec.getStorageClassName() + " or leave it out");
        }
        Quantity requested = spec.getResources() == null || spec.getResources().getRequests() == null
                ? null
                : spec.getResources().getRequests().get("storage");
        boolean bound =
                claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
        if (!bound && requested != null && DataVolumeClaimDependent.grows(claim, catalog)) {
            // Kubernetes lets only a bound claim change its size.
            return Optional.of(name + "requests " + requested + " and is not bound yet, so it cannot grow to"
                    + " spec.storage.embedded.size "
                    + catalog.getSpec().storage().embedded().sizeOrDefault()
                    + ": set size to " + requested);
        }
        return Optional.empty();
    }
}
