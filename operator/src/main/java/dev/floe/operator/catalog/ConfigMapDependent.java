package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** The ConfigMap with the catalog's TOML configuration (no secrets in it); kept as is while the KmsBinding is missing. */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class ConfigMapDependent extends BindingGatedDependent<ConfigMap> {

    @Override
    protected ConfigMap desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        String toml = CatalogToml.render(
                catalog, CatalogSecondaries.binding(catalog, context).orElse(null));
        return new ConfigMapBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.configMap(catalog), "config"))
                .withData(Map.of(CatalogNames.CONFIG_FILE, toml))
                .build();
    }
}
