package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;

/**
 * An operator-made CA and server certificate for catalogs without cert-manager or their own
 * Secret (spec.tls.selfSigned or no tls block). Created once, like the admin key, so the CA that
 * clients trust does not change under them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class SelfSignedTlsSecretDependent extends KubernetesDependentResource<Secret, IcebergCatalog>
        implements Creator<Secret, IcebergCatalog>, GarbageCollected<IcebergCatalog> {

    public SelfSignedTlsSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        var material = SelfSignedCertificates.issue(CatalogNames.service(catalog), CatalogNames.dnsNames(catalog),
                Duration.ofDays(3650), Duration.ofDays(825));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(CatalogNames.selfSignedSecret(catalog))
                .withNamespace(catalog.getMetadata().getNamespace())
                .withLabels(CatalogNames.labels(catalog, "tls"))
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(Map.of("ca.crt", material.caCertificate(), "tls.crt", material.certificate(),
                        "tls.key", material.privateKey()))
                .build();
    }

    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(CatalogNames.selfSignedSecret(catalog), catalog.getMetadata().getNamespace());
    }
}
