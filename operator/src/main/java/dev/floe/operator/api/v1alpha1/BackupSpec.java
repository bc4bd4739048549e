package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * Scheduled backups of the catalog's metadata store (`floe backup`): a CronJob writes an archive of
 * the store's rows as stored — sealed values stay sealed, data keys stay wrapped — to the target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupSpec(
        @JsonPropertyDescription(
                "Cron schedule in the CronJob format: 5 fields `minute hour day-of-month month day-of-week`, or @hourly, @daily, @weekly, @monthly, @yearly.")
        @Required
        @Pattern(Names.CRON)
        String schedule,

        @JsonPropertyDescription("IANA time zone of the schedule, for example `Europe/Berlin`. UTC when unset.")
        @Pattern("^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$")
        String timeZone,

        @JsonPropertyDescription("Where the archives are written.") @Required
        BackupTarget target,

        @JsonPropertyDescription(
                "How many archives to keep in the target; each backup removes older ones beyond this count.")
        @Default("7")
        @Min(1)
        @Max(100)
        Integer keep,

        @JsonPropertyDescription("Suspend scheduled backups.") @Default("false")
        Boolean suspend,

        @JsonPropertyDescription(
                "CPU and memory requests and limits of the backup container, used as written. Unset: requests cpu 50m and memory 256Mi, limits cpu 1 and memory 512Mi.")
        ResourceRequirements resources) {

    @JsonIgnore
    public int keepOrDefault() {
        return keep == null ? 7 : keep;
    }

    /** Where backups go: a PersistentVolumeClaim, or the warehouse's object store. */
    @io.fabric8.generator.annotation.ValidationRule(
            value = "has(self.volume) != has(self.objectStore)",
            message = "spec.backup.target: set exactly one of volume or objectStore",
            reason = "FieldValueInvalid")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupTarget(
            @JsonPropertyDescription("A PersistentVolumeClaim in the catalog's namespace that receives the archives.")
            VolumeTarget volume,

            @JsonPropertyDescription(
                    "A directory in the warehouse's object store that receives the archives, written with the catalog's own S3 settings and spec.warehouse.credentialsSecret.")
            ObjectStoreTarget objectStore) {}

    /** A prefix in the warehouse's S3 object store (the catalog's S3 client settings and credentials). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectStoreTarget(
            @JsonPropertyDescription(
                    "s3://bucket/prefix: the archives are written directly under it, as floe-backup-<UTC time>.zip. Keep it outside every warehouse location (tables must not share it) and give it a prefix of its own per catalog.")
            @Required
            @Pattern("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]*)?$")
            @io.fabric8.generator.annotation.Size(max = 1024)
            String location) {}

    /** A directory on a PersistentVolumeClaim. */
    @io.fabric8.generator.annotation.ValidationRule(
            value = "!has(self.path) || (!self.path.startsWith('/') && !self.path.matches('(^|/)[.][.](/|$)'))",
            message =
                    "spec.backup.target.volume.path must be relative to the volume and must not contain a '..' segment",
            reason = "FieldValueInvalid")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeTarget(
            @JsonPropertyDescription(
                    "Name of the PersistentVolumeClaim (not the catalog's own data claim: a backup must survive the loss of that volume).")
            @Required
            @Pattern(Names.DNS_SUBDOMAIN)
            String claimName,

            @JsonPropertyDescription(
                    "Directory inside the volume, relative to its root. Unset: the IcebergCatalog's name, so one volume can hold the backups of several catalogs.")
            @Pattern("^[A-Za-z0-9._/-]+$")
            @io.fabric8.generator.annotation.Size(max = 253)
            String path) {}
}
