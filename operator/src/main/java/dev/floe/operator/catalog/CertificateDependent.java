package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Duration;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.text.ParseException;

/**
 * The cert-manager Certificate for catalogs with spec.tls.issuerRef. Active only when the
 * cert-manager CRDs are installed (CRDPresentActivationCondition); cert-manager then writes the
 * Secret named {@link CatalogNames#certificate}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class CertificateDependent extends CRUDKubernetesDependentResource<Certificate, IcebergCatalog> {

    @Override
    protected Certificate desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        TlsSpec tls = catalog.getSpec().tls();
        return new CertificateBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.certificate(catalog), "tls"))
                .withNewSpec()
                .withSecretName(CatalogNames.certificate(catalog))
                .withCommonName(CatalogNames.dnsNames(catalog).get(2))
                .withDnsNames(CatalogNames.dnsNames(catalog))
                .withDuration(duration(tls.duration(), "2160h"))
                .withRenewBefore(duration(tls.renewBefore(), "360h"))
                .withUsages("server auth", "digital signature", "key encipherment")
                .withNewPrivateKey()
                .withAlgorithm("ECDSA")
                .withSize(256)
                .withRotationPolicy("Always")
                .endPrivateKey()
                .withNewIssuerRef()
                .withName(tls.issuerRef().name())
                .withKind(
                        tls.issuerRef().kind() == null
                                ? "Issuer"
                                : tls.issuerRef().kind())
                .withGroup(
                        tls.issuerRef().group() == null
                                ? "cert-manager.io"
                                : tls.issuerRef().group())
                .endIssuerRef()
                .endSpec()
                .build();
    }

    private static Duration duration(String value, String fallback) {
        try {
            return Duration.parse(value == null ? fallback : value);
        } catch (ParseException e) {
            throw new IllegalArgumentException(
                    "spec.tls duration '" + value + "' is not a Go duration such as 2160h", e);
        }
    }
}
