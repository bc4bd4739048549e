package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.List;
import java.util.Map;

/** Pieces of pod specs shared by the catalog Deployment and the rotation and backup Jobs (their volumes: {@link PodVolumes}). */
final class CatalogPods {
    private CatalogPods() {}

    /** The catalog's image from the operator's {@link CatalogImage}; fails loudly on a dependent JOSDK made without it. */
    static String image(CatalogImage image, IcebergCatalog catalog) {
        if (image == null) {
            throw new IllegalStateException("catalog dependents need the operator's CatalogImage: "
                    + "register the IcebergCatalogReconciler through FloeOperators (CatalogDependentFactory)");
        }
        return image.resolve(catalog.getSpec());
    }

    /**
     * Requests and limits of the catalog container: {@code spec.resources} as written when set, else
     * these defaults. Without any, a namespace with a compute ResourceQuota rejects the pods. Sizes
     * from a catalog measured with the image's JVM settings (heap = 75% of the memory limit): about
     * 250 MiB resident when idle, 275 MiB after 3,000 requests; with a 512 MiB limit the heap alone
     * could grow to 384 MiB beside ~175 MiB outside it, so the limit is 1 GiB. No CPU limit: it would
     * only slow start-up and throttle request bursts (set spec.resources.limits.cpu where a quota
     * counts limits.cpu).
     */
    static ResourceRequirements catalogResources(IcebergCatalogSpec spec) {
        if (spec.resources() != null) {
            return spec.resources();
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("384Mi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build();
    }

    /**
     * Requests and limits of a rotation Job's container: it only calls the catalog's admin API
     * (measured: 1 s, under 100 MiB resident), so small, and with CPU and memory limits so that any
     * compute quota (also one counting limits.cpu) admits it.
     */
    static ResourceRequirements rotationResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("256Mi"))
                .build();
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
     * The user's {@code podTemplate.env} for the catalog container, in their order. The API server
     * has already refused the names the operator sets itself (CEL rules on the CRD), so appending
     * them after the operator's variables cannot shadow one.
     */
    static List<EnvVar> userEnv(IcebergCatalog catalog) {
        var pod = catalog.getSpec().podTemplate();
        if (pod == null || pod.env() == null) {
            return List.of();
        }
        return pod.env().stream()
                .map(e -> new EnvVar(e.name(), e.value() == null ? "" : e.value(), null))
                .toList();
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
        PodSecurityContextBuilder merged =
                user == null ? new PodSecurityContextBuilder() : new PodSecurityContextBuilder(user);
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

    /**
     * The spec of a Job whose one container runs the catalog's image once (a key rotation, a
     * backup): the pod runs as the catalog's service account without its token, under the catalog
     * pods' security context, and is not restarted in place; two retries, an hour at most, and the
     * finished Job kept a week (the status reads its result).
     */
    static JobSpec jobSpec(
            IcebergCatalog catalog,
            Map<String, String> labels,
            Container container,
            List<Volume> volumes,
            Affinity affinity) {
        PodTemplateSpec pod = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(CatalogNames.serviceAccount(catalog))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(podSecurity(catalog))
                .withAffinity(affinity)
                .withContainers(container)
                .withVolumes(volumes)
                .endSpec()
                .build();
        return new JobSpecBuilder()
                .withBackoffLimit(2)
                .withActiveDeadlineSeconds(3600L)
                .withTtlSecondsAfterFinished(7 * 24 * 3600)
                .withTemplate(pod)
                .build();
    }

    /** The CA file a client of the catalog should trust: ca.crt when the Secret has it, else the certificate itself. */
    static String caKey(
            IcebergCatalog catalog, io.javaoperatorsdk.operator.api.reconciler.Context<IcebergCatalog> context) {
        return CatalogSecondaries.secret(CatalogNames.tlsSecret(catalog), catalog, context)
                .filter(s -> CatalogSecondaries.hasKeys(s, "ca.crt"))
                .map(s -> "ca.crt")
                .orElse("tls.crt");
    }
}
