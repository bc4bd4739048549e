package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state of an {@link IcebergCatalog}. Built afresh on every reconcile and written only
 * when it differs from what is stored, so records with value equality are the right shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IcebergCatalogStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription(
                "Ready, TLSReady, KmsReady, StorageReady and Degraded, following the Kubernetes API conventions; ReconciliationPaused while this catalog or its KmsBinding carries floe.dev/pause-reconciliation: \"true\".")
        List<Condition> conditions,

        @JsonPropertyDescription("HTTPS URL of the catalog inside the cluster.")
        String endpoint,

        @JsonPropertyDescription("Name of the Secret holding the bootstrap admin API key (key `admin-key`).")
        String adminKeySecret,

        @JsonPropertyDescription("Catalog pods that pass their readiness probe.")
        Integer readyReplicas,

        @JsonPropertyDescription(
                "Image the operator runs for this catalog's pods and rotation Jobs: spec.image, or the operator's default when spec.image is unset.")
        String image,

        @JsonPropertyDescription("Encryption state: binding, key and the last rotation.")
        EncryptionStatus encryption,

        @JsonPropertyDescription(
                "Scheduled backups (spec.backup): the last backup Job's result and the archives written, newest first.")
        BackupStatus backup) {

    /** The backups the operator saw finish. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupStatus(
            @JsonPropertyDescription("Name of the last finished backup Job.")
            String lastJob,

            @JsonPropertyDescription("Succeeded or Failed, for the last finished backup Job.")
            String lastResult,

            @JsonPropertyDescription("Completion time of the last finished backup Job, RFC 3339.")
            String lastTime,

            @JsonPropertyDescription(
                    "Archives written by succeeded backup Jobs, newest first, at most spec.backup.keep.")
            List<BackupArchive> archives) {}

    /** One archive a backup Job reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupArchive(
            @JsonPropertyDescription("When the store's snapshot was read, RFC 3339.")
            String time,

            @JsonPropertyDescription("Where the archive is: pvc://<claim>/<path>/floe-backup-<time>.zip.")
            String location,

            @JsonPropertyDescription("Size of the archive in bytes.")
            Long sizeBytes,

            @JsonPropertyDescription("The Job that wrote it.")
            String job) {}

    /** What the catalog's encryption looks like from outside. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EncryptionStatus(
            @JsonPropertyDescription("The KmsBinding in use.")
            String binding,

            @JsonPropertyDescription("Provider and key identity of the binding (no secret material).")
            String keyId,

            @JsonPropertyDescription("Completion time of the last rotation Job, RFC 3339.")
            String lastRotationTime,

            @JsonPropertyDescription("Succeeded or Failed, for the last finished rotation Job.")
            String lastRotationResult,

            @JsonPropertyDescription("Name of the last finished rotation Job.")
            String lastRotationJob,

            @JsonPropertyDescription(
                    "Jobs already started for `floe.dev/rotate-now` requests (so a request runs once).")
            java.util.List<String> rotateNowJobs) {}
}
