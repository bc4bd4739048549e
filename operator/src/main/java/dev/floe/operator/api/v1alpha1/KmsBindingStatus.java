package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a {@link KmsBinding}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KmsBindingStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription(
                "Ready and CredentialsFound, following the Kubernetes API conventions; ReconciliationPaused while this binding carries floe.dev/pause-reconciliation: \"true\".")
        List<Condition> conditions,

        @JsonPropertyDescription("IcebergCatalogs in this namespace bound to this KmsBinding.")
        List<String> boundCatalogs,

        @JsonPropertyDescription("Completion time of the last rotation Job of any bound catalog, RFC 3339.")
        String lastRotationTime,

        @JsonPropertyDescription("Succeeded or Failed, for that rotation Job.")
        String lastRotationResult,

        @JsonPropertyDescription(
                "Next scheduled rotation, RFC 3339 (UTC unless spec.rotation.timeZone says otherwise).")
        String nextRotationTime,

        @JsonPropertyDescription(
                "The last finished rotation Job of each bound catalog (scheduled or floe.dev/rotate-now).")
        List<CatalogRotation> catalogRotations) {

    /** One bound catalog's last finished rotation, copied from its status.encryption. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CatalogRotation(
            @JsonPropertyDescription("The IcebergCatalog.") String catalog,

            @JsonPropertyDescription("Name of its last finished rotation Job.")
            String job,

            @JsonPropertyDescription("When that Job finished, RFC 3339.")
            String time,

            @JsonPropertyDescription("Succeeded or Failed.") String result) {}
}
