package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Reference to the KmsBinding a catalog uses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KmsRef(
        @JsonPropertyDescription("Name of a KmsBinding in the catalog's namespace (a lower-case RFC 1123 name).")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(Names.DNS_SUBDOMAIN)
        String bindingRef) {}
