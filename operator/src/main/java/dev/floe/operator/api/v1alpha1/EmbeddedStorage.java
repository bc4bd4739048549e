package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** SQLite on a PersistentVolumeClaim owned by the catalog. */
@ValidationRule(value = "!has(oldSelf.size) || !has(self.size) || quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
        message = "spec.storage.embedded.size cannot shrink: a PersistentVolumeClaim can only grow (to shrink, create a new IcebergCatalog and migrate the tables)",
        reason = "FieldValueForbidden")
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "spec.storage.embedded.storageClassName cannot change: the PersistentVolumeClaim's class is immutable",
        reason = "FieldValueForbidden")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddedStorage(
        @JsonPropertyDescription("Requested size of the volume, as a Kubernetes quantity. It may grow (the PersistentVolumeClaim is expanded when its StorageClass allows volume expansion) but not shrink.")
        @Default("1Gi")
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
        String size,
        @JsonPropertyDescription("StorageClass of the volume; the cluster default when unset. Cannot change after creation.")
        String storageClassName) {

    @JsonIgnore
    public String sizeOrDefault() {
        return size == null ? "1Gi" : size;
    }
}
