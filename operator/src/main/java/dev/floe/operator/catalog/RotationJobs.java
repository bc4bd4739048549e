package dev.floe.operator.catalog;

import dev.floe.contract.CatalogCommand;
import dev.floe.contract.CatalogPod;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key-rotation Jobs: the pod runs {@code floe admin rotate-keys} against the catalog's own Service
 * with the admin key and the CA, so the running catalog rewraps its data keys whatever its storage.
 * Used by the scheduled CronJob and by one-off {@code floe.dev/rotate-now} Jobs; also reads back
 * the result of the latest finished Job for the status.
 */
public final class RotationJobs {
    public static final String SCHEDULED = "scheduled";
    public static final String MANUAL = "manual";
    /** The {@code app.kubernetes.io/name} of rotation Jobs and their pods. */
    public static final String ROTATION_APP = "floe-key-rotation";

    /** The outcome of the most recently finished rotation Job. */
    public record Result(String jobName, boolean succeeded, String finishedAt) {}

    private RotationJobs() {}

    static JobSpec jobSpec(
            IcebergCatalog catalog, KmsBinding binding, String kind, String image, Context<IcebergCatalog> context) {
        boolean reencrypt = binding == null
                || binding.getSpec().rotation() == null
                || !Boolean.FALSE.equals(binding.getSpec().rotation().reencrypt());
        String caKey = CatalogPods.caKey(catalog, context);
        PodVolumes volumes = new PodVolumes()
                .secret("admin-key", CatalogNames.adminKeySecret(catalog), null, CatalogNames.ADMIN_DIR)
                .secret(
                        "ca",
                        CatalogNames.tlsSecret(catalog),
                        List.of(new KeyToPath(caKey, null, CatalogPod.TLS_CA)),
                        CatalogNames.TLS_DIR);
        Container container = new ContainerBuilder()
                .withName("rotate-keys")
                .withImage(image)
                .withArgs(
                        CatalogCommand.ADMIN,
                        CatalogCommand.ROTATE_KEYS,
                        CatalogCommand.ENDPOINT,
                        "https://" + CatalogNames.service(catalog) + ":" + CatalogNames.port(catalog),
                        CatalogCommand.API_KEY_FILE,
                        CatalogNames.ADMIN_DIR + "/" + CatalogNames.ADMIN_KEY,
                        CatalogCommand.CA,
                        CatalogNames.TLS_DIR + "/" + CatalogPod.TLS_CA)
                // The only variable: a switch, not a secret (the admin key and CA are mounted files).
                .addNewEnv()
                .withName(CatalogPod.ENV_ROTATE_REENCRYPT)
                .withValue(Boolean.toString(reencrypt))
                .endEnv()
                .withVolumeMounts(volumes.mounts())
                .withSecurityContext(CatalogPods.containerSecurity())
                .withResources(CatalogPods.rotationResources())
                .build();
        return CatalogPods.jobSpec(catalog, labels(catalog, kind), container, volumes.volumes(), null);
    }

    /**
     * Labels of rotation Jobs and their pods. Their {@code app.kubernetes.io/name} is not the
     * catalog pods' ({@link CatalogNames#selector}): the Service, PodDisruptionBudget and
     * NetworkPolicy select catalog pods by it, and a PodDisruptionBudget that also matched a Job's
     * pods would make every eviction of them fail, so a node drain hung while a finished rotation pod
     * existed.
     */
    static Map<String, String> labels(IcebergCatalog catalog, String kind) {
        Map<String, String> labels = CatalogNames.labels(catalog, "key-rotation");
        labels.put("app.kubernetes.io/name", ROTATION_APP);
        labels.put(CatalogNames.ROTATION_LABEL, kind);
        return labels;
    }

    /** A one-off rotation Job, owned by the catalog, named after the request so it runs once. */
    static Job oneOff(
            IcebergCatalog catalog, KmsBinding binding, String name, String image, Context<IcebergCatalog> context) {
        return new JobBuilder()
                .withMetadata(CatalogNames.metadata(catalog, name, labels(catalog, MANUAL)))
                .editMetadata()
                .addNewOwnerReference()
                .withApiVersion(catalog.getApiVersion())
                .withKind(catalog.getKind())
                .withName(catalog.getMetadata().getName())
                .withUid(catalog.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(jobSpec(catalog, binding, MANUAL, image, context))
                .build();
    }

    /** The latest finished rotation Job among the catalog's Jobs. */
    public static Optional<Result> latest(java.util.Collection<Job> jobs) {
        return jobs.stream()
                .map(RotationJobs::result)
                .flatMap(Optional::stream)
                .max(Comparator.comparing(Result::finishedAt).thenComparing(Result::jobName));
    }

    static Optional<Result> result(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())))
                .findFirst()
                .map(c -> new Result(
                        job.getMetadata().getName(),
                        "Complete".equals(c.getType()),
                        job.getStatus().getCompletionTime() != null
                                ? job.getStatus().getCompletionTime()
                                : (c.getLastTransitionTime() != null ? c.getLastTransitionTime() : "")));
    }
}
