package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One environment variable of the catalog container, as a literal: no {@code valueFrom}, because
 * every Secret reaches the catalog as files through the spec's Secret fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodEnvVar(
        @Required @Pattern("^[A-Za-z_][A-Za-z0-9_]*$") @Size(max = 64) @JsonPropertyDescription("The variable's name.")
        String name,

        @JsonPropertyDescription("Its value (empty when unset).")
        String value) {}
