package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Keeps at least one catalog pod during voluntary disruptions; only when replicas > 1. */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, IcebergCatalog> {

    @Override
    protected PodDisruptionBudget desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.deployment(catalog), "catalog"))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(CatalogNames.selector(catalog))
                .endSelector()
                .endSpec()
                .build();
    }
}
