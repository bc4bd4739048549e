package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * SQLite on a PersistentVolumeClaim. The claim outlives the catalog unless deleteClaim is true (as
 * Strimzi's {@code deleteClaim: false}): deleting an IcebergCatalog, by hand or by a GitOps prune,
 * must not take its database with it.
 */
@ValidationRule(
        value = "!has(oldSelf.size) || !has(self.size) || quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
        message =
                "spec.storage.embedded.size cannot shrink: a PersistentVolumeClaim can only grow (to shrink, create a new IcebergCatalog and migrate the tables)",
        reason = "FieldValueForbidden")
@ValidationRule(
        value =
                "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message =
                "spec.storage.embedded.storageClassName cannot change: the PersistentVolumeClaim's class is immutable",
        reason = "FieldValueForbidden")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddedStorage(
        @JsonPropertyDescription(
                "Requested size of the volume, as a Kubernetes quantity. It may grow (the PersistentVolumeClaim is expanded when its StorageClass allows volume expansion) but not shrink.")
        @Default("1Gi")
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
        String size,

        @JsonPropertyDescription(
                "StorageClass of the volume; the cluster default when unset. Cannot change after creation.")
        String storageClassName,

        @JsonPropertyDescription(
                "Delete the PersistentVolumeClaim (and with it the database, if its volume's reclaim policy is Delete) when the IcebergCatalog is deleted. false (the default): the claim has no owner reference, carries the label floe.dev/retained=true, stays when the catalog goes and is adopted by a new IcebergCatalog of the same name in the same namespace.")
        @Default("false")
        Boolean deleteClaim) {

    /** The claim goes with the catalog only when deleteClaim is true. */
    @JsonIgnore
    public boolean deletesClaim() {
        return Boolean.TRUE.equals(deleteClaim);
    }

    @JsonIgnore
    public String sizeOrDefault() {
        return size == null ? "1Gi" : size;
    }
}
