package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/** Pieces of pod specs shared by the catalog Deployment and the rotation Jobs. */
final class CatalogPods {
    private CatalogPods() {
    }

    /** The catalog's image from the operator's {@link CatalogImage}; fails loudly on a dependent JOSDK made without it. */
    static String image(CatalogImage image, IcebergCatalog catalog) {
        if (image == null) {
            throw new IllegalStateException("catalog dependents need the operator's CatalogImage: "
                    + "register the IcebergCatalogReconciler through FloeOperators (CatalogDependentFactory)");
        }
        return image.resolve(catalog.getSpec());
    }

    static Volume secretVolume(String volume, String secret, List<KeyToPath> items) {
        return new VolumeBuilder().withName(volume)
                .withNewSecret().withSecretName(secret).withItems(items).withDefaultMode(0440).endSecret()
                .build();
    }

    static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
    }

    static SecurityContext containerSecurity() {
        Capabilities drop = new CapabilitiesBuilder().withDrop("ALL").build();
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withCapabilities(drop)
                .build();
    }

    /**
     * The pod security context of the catalog pods and rotation Jobs: {@code podTemplate.securityContext}
     * merged field by field over the restricted default (runAsNonRoot, user, group and fsGroup 10001,
     * seccomp RuntimeDefault). A field the user sets wins; one they leave unset keeps the default, so
     * setting, say, {@code fsGroupChangePolicy} does not silently drop {@code runAsNonRoot}.
     */
    static PodSecurityContext podSecurity(IcebergCatalog catalog) {
        var pod = catalog.getSpec().podTemplate();
        PodSecurityContext user = pod == null ? null : pod.securityContext();
        // A copy: the builder must not write the defaults into the catalog's spec object.
        PodSecurityContextBuilder merged = user == null ? new PodSecurityContextBuilder() : new PodSecurityContextBuilder(user);
        if (merged.getRunAsNonRoot() == null) {
            merged.withRunAsNonRoot(true);
        }
        if (merged.getRunAsUser() == null) {
            merged.withRunAsUser(10001L);
        }
        if (merged.getRunAsGroup() == null) {
            merged.withRunAsGroup(10001L);
        }
        if (merged.getFsGroup() == null) {
            merged.withFsGroup(10001L);
        }
        if (!merged.hasSeccompProfile()) {
            merged.withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        }
        return merged.build();
    }

    /** The CA file a client of the catalog should trust: ca.crt when the Secret has it, else the certificate itself. */
    static String caKey(IcebergCatalog catalog, io.javaoperatorsdk.operator.api.reconciler.Context<IcebergCatalog> context) {
        return CatalogSecondaries.secret(CatalogNames.tlsSecret(catalog), catalog, context)
                .filter(s -> CatalogSecondaries.hasKeys(s, "ca.crt"))
                .map(s -> "ca.crt")
                .orElse("tls.crt");
    }
}
