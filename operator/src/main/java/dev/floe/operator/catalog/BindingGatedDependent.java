package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * A dependent rendered from the catalog's KmsBinding (ServiceAccount, ConfigMap, Deployment,
 * rotation CronJob). While the binding cannot be used (see {@link CatalogSecondaries#usableBinding}),
 * the object is neither created nor changed: a catalog whose binding was deleted keeps running with
 * its last good configuration instead of rolling into pods without a {@code [kms]} section, and one
 * whose binding never existed does not start. The status says why (KmsReady=False).
 *
 * <p>Like every dependent here, a subclass names its resource type only as its type argument: JOSDK
 * reads it from there.
 */
public abstract class BindingGatedDependent<R extends HasMetadata>
        extends CRUDKubernetesDependentResource<R, IcebergCatalog> {

    @Override
    public ReconcileResult<R> reconcile(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (CatalogSecondaries.usableBinding(catalog, context).isPresent()) {
            return super.reconcile(catalog, context);
        }
        return ReconcileResult.noOperation(
                getSecondaryResource(catalog, context).orElse(null));
    }
}
