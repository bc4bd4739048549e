package dev.floe.operator.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.operator.api.v1alpha1.BackupSpec;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogStatus.BackupArchive;
import dev.floe.operator.api.v1alpha1.IcebergCatalogStatus.BackupStatus;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Backup Jobs: the pod runs {@code floe backup} in the catalog image on the catalog's own store
 * (its data volume, or PostgreSQL with the credentials Secret), writes the archive to the target
 * volume and its result as one JSON line to the pod's termination message, which
 * {@link #status} reads back into the catalog's status. The pod needs no master key: the archive
 * holds the rows as stored, sealed.
 */
public final class BackupJobs {
    /** Label on backup Jobs and their pods; the Job informer selects on it. */
    public static final String BACKUP_LABEL = "floe.dev/backup";

    public static final String SCHEDULED = "scheduled";
    /** The {@code app.kubernetes.io/name} of backup pods: not the catalog pods' (see {@link RotationJobs#labels}). */
    public static final String BACKUP_APP = "floe-backup";

    static final String TARGET_DIR = "/backup";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupJobs() {}

    public static String cronJobName(IcebergCatalog catalog) {
        return catalog.getMetadata().getName() + "-backup";
    }

    static Map<String, String> labels(IcebergCatalog catalog) {
        Map<String, String> labels = new LinkedHashMap<>(CatalogNames.labels(catalog, "backup"));
        labels.put("app.kubernetes.io/name", BACKUP_APP);
        labels.put(BACKUP_LABEL, SCHEDULED);
        return labels;
    }

    /**
     * Where {@code floe backup} writes: spec.backup.target.objectStore.location as written (the catalog
     * pod's S3 settings and credentials reach it), else the directory in the mounted target volume.
     */
    static String outputDir(IcebergCatalog catalog) {
        BackupSpec.ObjectStoreTarget objectStore =
                catalog.getSpec().backup().target().objectStore();
        return objectStore != null ? objectStore.location().replaceAll("/+$", "") : TARGET_DIR + "/" + path(catalog);
    }

    /** The directory inside the target volume: spec.backup.target.volume.path, else the catalog's name. */
    static String path(IcebergCatalog catalog) {
        String path = catalog.getSpec().backup().target().volume().path();
        return path == null || path.isBlank() ? catalog.getMetadata().getName() : path.replaceAll("/+$", "");
    }

    static JobSpec jobSpec(IcebergCatalog catalog, String image) {
        BackupSpec backup = catalog.getSpec().backup();
        boolean embedded = catalog.getSpec().storage().usesEmbedded();
        PodVolumes volumes = new PodVolumes().config(catalog).tmp();
        if (backup.target().volume() != null) {
            volumes.claim("target", backup.target().volume().claimName(), TARGET_DIR);
        } else {
            // the object store with the catalog's own S3 credentials: the same files at the path the TOML names
            volumes.warehouseCredentials(catalog.getSpec().warehouse());
        }
        if (embedded) {
            volumes.data(catalog);
        } else {
            // the same read-only files as the catalog pod, at the paths the TOML names
            volumes.storageCredentials(catalog.getSpec().storage().postgres().credentialsSecret());
        }
        Container container = new ContainerBuilder()
                .withName("backup")
                .withImage(image)
                .withArgs(
                        "backup",
                        "--config",
                        CatalogNames.CONFIG_DIR + "/" + CatalogNames.CONFIG_FILE,
                        "--output-dir",
                        outputDir(catalog),
                        "--keep",
                        Integer.toString(backup.keepOrDefault()),
                        "--report-file",
                        "/dev/termination-log")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withVolumeMounts(volumes.mounts())
                .withSecurityContext(CatalogPods.containerSecurity())
                .withResources(resources(backup))
                .build();
        return CatalogPods.jobSpec(
                catalog,
                labels(catalog),
                container,
                volumes.volumes(),
                embedded && catalog.getSpec().replicasOrDefault() > 0 ? besideTheCatalogPod(catalog) : null);
    }

    /**
     * The data volume is ReadWriteOnce: the backup pod must run on the node that has it attached,
     * the one running the catalog pod.
     */
    private static io.fabric8.kubernetes.api.model.Affinity besideTheCatalogPod(IcebergCatalog catalog) {
        return new AffinityBuilder()
                .withNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector()
                .withMatchLabels(CatalogNames.selector(catalog))
                .endLabelSelector()
                .withTopologyKey("kubernetes.io/hostname")
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity()
                .build();
    }

    /**
     * spec.backup.resources as written, else defaults sized for the JVM reading rows and writing a
     * ZIP (it streams, so the store's size does not change the memory needed), with CPU and memory
     * limits so that any compute quota admits the pod.
     */
    static ResourceRequirements resources(BackupSpec backup) {
        if (backup.resources() != null) {
            return backup.resources();
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("cpu", new Quantity("1"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build();
    }

    /**
     * The backup status from the catalog's finished backup Jobs: the last one's result, and the
     * archives of succeeded ones, newest first, at most spec.backup.keep. Archives already in
     * {@code previous} are kept without asking again (also after their Job is garbage-collected);
     * for a newly succeeded Job, {@code podsOfJob} gives its pods, whose termination message is
     * {@code floe backup}'s report.
     */
    static BackupStatus status(
            IcebergCatalog catalog,
            BackupStatus previous,
            Collection<Job> jobs,
            Function<String, List<Pod>> podsOfJob) {
        if (catalog.getSpec().backup() == null && previous == null) {
            return null;
        }
        Optional<RotationJobs.Result> last = RotationJobs.latest(jobs);
        Map<String, BackupArchive> archives = new LinkedHashMap<>();
        if (previous != null && previous.archives() != null) {
            previous.archives().forEach(a -> archives.put(a.job(), a));
        }
        for (Job job : jobs) {
            String name = job.getMetadata().getName();
            boolean succeeded =
                    RotationJobs.result(job).map(RotationJobs.Result::succeeded).orElse(false);
            if (succeeded && !archives.containsKey(name)) {
                report(catalog, job, podsOfJob.apply(name)).ifPresent(a -> archives.put(name, a));
            }
        }
        int keep = catalog.getSpec().backup() == null
                ? 0
                : catalog.getSpec().backup().keepOrDefault();
        List<BackupArchive> newest = archives.values().stream()
                .sorted(Comparator.comparing((BackupArchive a) -> a.time() == null ? "" : a.time())
                        .reversed())
                .limit(keep)
                .toList();
        if (last.isEmpty() && newest.isEmpty()) {
            return previous;
        }
        return new BackupStatus(
                last.map(RotationJobs.Result::jobName).orElse(previous == null ? null : previous.lastJob()),
                last.map(r -> r.succeeded() ? "Succeeded" : "Failed")
                        .orElse(previous == null ? null : previous.lastResult()),
                last.map(RotationJobs.Result::finishedAt).orElse(previous == null ? null : previous.lastTime()),
                newest.isEmpty() ? null : newest);
    }

    /** The archive a succeeded Job's pod reported; without a readable report, the Job's time only. */
    private static Optional<BackupArchive> report(IcebergCatalog catalog, Job job, List<Pod> pods) {
        String name = job.getMetadata().getName();
        for (Pod pod : pods) {
            List<ContainerStatus> statuses =
                    pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
            if (statuses == null) {
                continue;
            }
            for (ContainerStatus container : statuses) {
                var terminated = container.getState() == null
                        ? null
                        : container.getState().getTerminated();
                if (terminated == null
                        || terminated.getExitCode() == null
                        || terminated.getExitCode() != 0
                        || terminated.getMessage() == null) {
                    continue;
                }
                try {
                    JsonNode line = JSON.readTree(terminated.getMessage().strip());
                    return Optional.of(new BackupArchive(
                            line.path("time").asText(null),
                            location(catalog, line.path("location").asText(null)),
                            line.has("sizeBytes") ? line.get("sizeBytes").asLong() : null,
                            name));
                } catch (java.io.IOException | RuntimeException e) {
                    // not floe's report (e.g. an older image): fall through to the Job's own time
                }
            }
        }
        return RotationJobs.result(job).map(r -> new BackupArchive(r.finishedAt(), null, null, name));
    }

    /** The report's path inside the pod as pvc://claim/… (what a user can find); s3:// locations as reported. */
    static String location(IcebergCatalog catalog, String podPath) {
        if (podPath == null
                || catalog.getSpec().backup() == null
                || catalog.getSpec().backup().target().volume() == null) {
            return podPath;
        }
        String claim = catalog.getSpec().backup().target().volume().claimName();
        return podPath.startsWith(TARGET_DIR + "/")
                ? "pvc://" + claim + podPath.substring(TARGET_DIR.length())
                : podPath;
    }
}
