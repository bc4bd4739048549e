package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The catalog's metadata database: exactly one of embedded SQLite or PostgreSQL. */
@ValidationRule(
        value = "has(self.embedded) != has(self.postgres)",
        message = "set exactly one of spec.storage.embedded or spec.storage.postgres",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "has(self.embedded) == has(oldSelf.embedded)",
        message = "the storage type cannot change in place: create a new IcebergCatalog and migrate the tables",
        reason = "FieldValueForbidden")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageSpec(
        @JsonPropertyDescription("SQLite database on a PersistentVolumeClaim. Single replica, `Recreate` updates.")
        EmbeddedStorage embedded,

        @JsonPropertyDescription("An existing PostgreSQL database shared by all replicas.")
        PostgresStorage postgres) {

    @JsonIgnore
    public boolean usesEmbedded() {
        return embedded != null;
    }
}
