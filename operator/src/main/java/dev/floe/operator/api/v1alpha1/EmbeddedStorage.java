package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** SQLite on a PersistentVolumeClaim owned by the catalog. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddedStorage(
        @JsonPropertyDescription("Requested size of the volume, as a Kubernetes quantity.")
        @Default("1Gi")
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
        String size,
        @JsonPropertyDescription("StorageClass of the volume; the cluster default when unset.")
        String storageClassName) {

    @JsonIgnore
    public String sizeOrDefault() {
        return size == null ? "1Gi" : size;
    }
}
