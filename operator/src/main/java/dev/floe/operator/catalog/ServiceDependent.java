package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The catalog's HTTPS Service; its DNS names are the certificate's subject alternative names. */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, IcebergCatalog> {

    @Override
    protected Service desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        var spec = catalog.getSpec().service();
        return new ServiceBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.service(catalog), "catalog"))
                .editMetadata()
                .withAnnotations(
                        spec == null || spec.annotations() == null
                                ? new java.util.HashMap<>()
                                : new java.util.HashMap<>(spec.annotations()))
                .endMetadata()
                .withNewSpec()
                .withType(spec == null || spec.type() == null ? "ClusterIP" : spec.type())
                .withSelector(CatalogNames.selector(catalog))
                .addNewPort()
                .withName("https")
                .withProtocol("TCP")
                .withPort(CatalogNames.port(catalog))
                .withTargetPort(new IntOrString("https"))
                .endPort()
                .endSpec()
                .build();
    }
}
