package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.status.ReconcileBlocked;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PersistentVolumeClaim holding the embedded SQLite database. Created once; afterwards only a
 * larger spec.storage.embedded.size is applied (the one change Kubernetes allows on a bound claim,
 * when its StorageClass has allowVolumeExpansion). Shrinking is refused by the CRD's CEL rule,
 * and a claim already larger than the spec (grown by hand) is left alone.
 *
 * <p>Unless spec.storage.embedded.deleteClaim is true, the claim gets no owner reference, so neither
 * the garbage collector nor a GitOps prune of the IcebergCatalog deletes the database with it; it is
 * labelled {@link CatalogNames#RETAINED_LABEL} and annotated so Argo CD never prunes it either. It is
 * found by name and by its {@link CatalogNames#CATALOG_LABEL}, not by owner, so a new IcebergCatalog
 * of the same name adopts the kept claim and its data; a claim of that name without the labels
 * (made by hand for a restore) is adopted too, see {@link DataClaimAdoption}. Changing deleteClaim adds or removes the
 * owner reference on the existing claim.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class DataVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, IcebergCatalog>
        implements Creator<PersistentVolumeClaim, IcebergCatalog>,
                Updater<PersistentVolumeClaim, IcebergCatalog>,
                GarbageCollected<IcebergCatalog> {
    static final String ARGOCD_SYNC_OPTIONS = "argocd.argoproj.io/sync-options";
    static final String FLUX_PRUNE = "kustomize.toolkit.fluxcd.io/prune";

    @Override
    protected PersistentVolumeClaim desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        var embedded = catalog.getSpec().storage().embedded();
        Map<String, String> labels = new LinkedHashMap<>(CatalogNames.labels(catalog, "storage"));
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!embedded.deletesClaim()) {
            labels.put(CatalogNames.RETAINED_LABEL, "true");
            // The claim is not in anyone's Git, but Argo CD tracks objects by app.kubernetes.io/instance,
            // which the claim carries (= the catalog's name): never let a sync prune it.
            annotations.put(ARGOCD_SYNC_OPTIONS, "Prune=false");
            annotations.put(FLUX_PRUNE, "disabled");
        }
        // Never ask for less than the claim has (grown by hand): a bound claim cannot shrink, and
        // adding or removing the owner reference re-applies the whole object.
        String size = getSecondaryResource(catalog, context)
                .map(DataVolumeClaimDependent::requested)
                .filter(q ->
                        q.getNumericalAmount().compareTo(new Quantity(embedded.sizeOrDefault()).getNumericalAmount())
                                > 0)
                .map(Quantity::toString)
                .orElse(embedded.sizeOrDefault());
        return new PersistentVolumeClaimBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.dataClaim(catalog), labels))
                .editMetadata()
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(embedded.storageClassName())
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity(size)))
                .endResources()
                .endSpec()
                .build();
    }

    /** The owner reference only when the claim is to be deleted with the catalog. */
    @Override
    protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, IcebergCatalog catalog) {
        if (catalog.getSpec().storage().embedded().deletesClaim()) {
            desired.addOwnerReference(catalog);
        }
    }

    /**
     * The claim from the informer, which sees only claims with the operator's label; else one
     * made by hand under the claim's name (a restore, a kept volume re-attached), read directly,
     * which the update then adopts by applying the labels, or a {@link ReconcileBlocked} saying
     * why it cannot be adopted.
     */
    @Override
    public Optional<PersistentVolumeClaim> getSecondaryResource(
            IcebergCatalog catalog, Context<IcebergCatalog> context) {
        Optional<PersistentVolumeClaim> cached = super.getSecondaryResource(catalog, context);
        if (cached.isPresent()) {
            return cached;
        }
        PersistentVolumeClaim claim = context.getClient()
                .persistentVolumeClaims()
                .inNamespace(catalog.getMetadata().getNamespace())
                .withName(CatalogNames.dataClaim(catalog))
                .get();
        if (claim == null) {
            return Optional.empty();
        }
        Optional<String> problem = DataClaimAdoption.problem(claim, catalog);
        if (problem.isPresent()) {
            throw new ReconcileBlocked(DataClaimAdoption.NOT_ADOPTABLE, problem.get());
        }
        return Optional.of(claim);
    }

    /** By the catalog label, which a kept claim has without an owner reference. */
    @Override
    protected Optional<SecondaryToPrimaryMapper<PersistentVolumeClaim>> getSecondaryToPrimaryMapper(
            EventSourceContext<IcebergCatalog> context) {
        return Optional.of(claim -> {
            String catalog = claim.getMetadata().getLabels() == null
                    ? null
                    : claim.getMetadata().getLabels().get(CatalogNames.CATALOG_LABEL);
            return catalog == null
                    ? Set.of()
                    : Set.of(new ResourceID(catalog, claim.getMetadata().getNamespace()));
        });
    }

    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(
                CatalogNames.dataClaim(catalog), catalog.getMetadata().getNamespace());
    }

    /** Up to date unless the spec asks for more storage, or deleteClaim and the owner reference disagree. */
    @Override
    public Matcher.Result<PersistentVolumeClaim> match(
            PersistentVolumeClaim actual, IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return Matcher.Result.nonComputed(!grows(actual, catalog) && ownedAsWanted(actual, catalog));
    }

    static boolean ownedAsWanted(PersistentVolumeClaim actual, IcebergCatalog catalog) {
        boolean owned = actual.getMetadata().getOwnerReferences() != null
                && actual.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> catalog.getMetadata().getUid() != null
                                && catalog.getMetadata().getUid().equals(o.getUid()));
        boolean labelled = actual.getMetadata().getLabels() != null
                && "true".equals(actual.getMetadata().getLabels().get(CatalogNames.RETAINED_LABEL));
        boolean delete = catalog.getSpec().storage().embedded().deletesClaim();
        return owned == delete && labelled == !delete;
    }

    static boolean grows(PersistentVolumeClaim actual, IcebergCatalog catalog) {
        Quantity requested = requested(actual);
        Quantity wanted = new Quantity(catalog.getSpec().storage().embedded().sizeOrDefault());
        return requested == null || wanted.getNumericalAmount().compareTo(requested.getNumericalAmount()) > 0;
    }

    private static Quantity requested(PersistentVolumeClaim claim) {
        return claim.getSpec() == null
                        || claim.getSpec().getResources() == null
                        || claim.getSpec().getResources().getRequests() == null
                ? null
                : claim.getSpec().getResources().getRequests().get("storage");
    }
}
