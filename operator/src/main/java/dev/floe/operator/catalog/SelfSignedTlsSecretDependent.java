package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * An operator-made CA and server certificate for catalogs without cert-manager or their own
 * Secret (spec.tls.selfSigned or no tls block). The CA (10 years) is made once and kept, so clients
 * that trust it keep working; the server certificate lives spec.tls.duration (default 2160h) and is
 * re-issued under the same CA once two thirds of that have passed. The reconciler schedules a
 * reconcile for that moment, so renewal needs no other event. The CA key stays in this Secret but
 * is not mounted into the catalog pods.
 */
public class SelfSignedTlsSecretDependent extends KubernetesDependentResource<Secret, IcebergCatalog>
        implements Creator<Secret, IcebergCatalog>, Updater<Secret, IcebergCatalog>, GarbageCollected<IcebergCatalog> {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final String CA_KEY = "ca.key";

    @Override
    protected Secret desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        Duration lifetime = lifetime(catalog);
        Optional<Secret> current = getSecondaryResource(catalog, context);
        String caCertificate = current.map(s -> decoded(s, "ca.crt")).orElse(null);
        String caKey = current.map(s -> decoded(s, CA_KEY)).orElse(null);
        // Keep the CA when there is one that outlives the new certificate; Secrets made before
        // the CA key was kept get a new CA once, at their first renewal.
        var material = caCertificate != null
                        && caKey != null
                        && SelfSignedCertificates.outlives(caCertificate, lifetime)
                ? SelfSignedCertificates.renew(
                        caCertificate, caKey, CatalogNames.service(catalog), CatalogNames.dnsNames(catalog), lifetime)
                : SelfSignedCertificates.issue(
                        CatalogNames.service(catalog), CatalogNames.dnsNames(catalog), CA_VALIDITY, lifetime);
        Base64.Encoder b64 = Base64.getEncoder();
        return new SecretBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.selfSignedSecret(catalog), "tls"))
                .withType("kubernetes.io/tls")
                .withData(Map.of(
                        "ca.crt",
                        b64.encodeToString(material.caCertificate().getBytes(StandardCharsets.US_ASCII)),
                        CA_KEY,
                        b64.encodeToString(material.caPrivateKey().getBytes(StandardCharsets.US_ASCII)),
                        "tls.crt",
                        b64.encodeToString(material.certificate().getBytes(StandardCharsets.US_ASCII)),
                        "tls.key",
                        b64.encodeToString(material.privateKey().getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    /** Up to date until the renewal time; computing the desired state would make new keys, so it is not done here. */
    @Override
    public Matcher.Result<Secret> match(Secret actual, IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return Matcher.Result.nonComputed(
                renewalTime(actual, catalog).map(t -> Instant.now().isBefore(t)).orElse(false));
    }

    /** When the Secret's certificate is due for renewal; empty when it holds no readable certificate. */
    static Optional<Instant> renewalTime(Secret secret, IcebergCatalog catalog) {
        String certificate = decoded(secret, "tls.crt");
        if (certificate == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SelfSignedCertificates.renewalTime(certificate, lifetime(catalog)));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    static Duration lifetime(IcebergCatalog catalog) {
        var tls = catalog.getSpec().tls();
        return GoDuration.parse(tls == null || tls.duration() == null ? "2160h" : tls.duration());
    }

    private static String decoded(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        return value == null || value.isEmpty()
                ? null
                : new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(
                CatalogNames.selfSignedSecret(catalog), catalog.getMetadata().getNamespace());
    }
}
