package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * The bootstrap admin API key Secret. It implements {@link Creator} only (no Updater), so JOSDK
 * creates it once and never rewrites it: the key survives reconciles and operator restarts. It is
 * owned by the catalog and goes away with it.
 */
public class AdminKeySecretDependent extends KubernetesDependentResource<Secret, IcebergCatalog>
        implements Creator<Secret, IcebergCatalog>, GarbageCollected<IcebergCatalog> {

    @Override
    protected Secret desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new SecretBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.adminKeySecret(catalog), "admin-key"))
                .withType("Opaque")
                .withImmutable(true)
                .withStringData(Map.of(CatalogNames.ADMIN_KEY, AdminKeys.generate()))
                .build();
    }

    // Identify the Secret by name only, so finding it does not generate a key.
    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(
                CatalogNames.adminKeySecret(catalog), catalog.getMetadata().getNamespace());
    }
}
