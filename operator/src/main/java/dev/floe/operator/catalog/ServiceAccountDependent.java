package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalog pods' ServiceAccount. It carries the workload-identity annotations of the bound
 * KmsBinding, of spec.warehouse.workloadIdentity and of spec.podTemplate.serviceAccountAnnotations
 * (IRSA, GKE and Azure workload identity; later ones win on the same key), so it is kept as is
 * while the binding is missing.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class ServiceAccountDependent extends BindingGatedDependent<ServiceAccount> {

    @Override
    protected ServiceAccount desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        Map<String, String> annotations = new LinkedHashMap<>();
        CatalogSecondaries.binding(catalog, context)
                .map(KmsBinding::getSpec)
                .filter(s -> s.credentials() != null
                        && s.credentials().workloadIdentity() != null
                        && s.credentials().workloadIdentity().serviceAccountAnnotations() != null)
                .ifPresent(s ->
                        annotations.putAll(s.credentials().workloadIdentity().serviceAccountAnnotations()));
        var warehouseIdentity = catalog.getSpec().warehouse().workloadIdentity();
        if (warehouseIdentity != null && warehouseIdentity.serviceAccountAnnotations() != null) {
            annotations.putAll(warehouseIdentity.serviceAccountAnnotations());
        }
        var pod = catalog.getSpec().podTemplate();
        if (pod != null && pod.serviceAccountAnnotations() != null) {
            annotations.putAll(pod.serviceAccountAnnotations());
        }
        return new ServiceAccountBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.serviceAccount(catalog), "catalog"))
                .editMetadata()
                .withAnnotations(annotations)
                .endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }
}
