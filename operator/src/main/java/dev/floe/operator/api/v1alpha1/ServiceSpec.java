package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/** How the catalog's Service looks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSpec(
        @JsonPropertyDescription("Service type.") @Default("ClusterIP") @Pattern("^(ClusterIP|NodePort|LoadBalancer)$")
        String type,

        @JsonPropertyDescription("HTTPS port of the Service and the catalog.") @Default("8443") @Min(1) @Max(65535)
        Integer port,

        @JsonPropertyDescription("Annotations added to the Service (for example load-balancer settings).")
        Map<String, String> annotations) {

    public static int portOf(ServiceSpec service) {
        return service == null || service.port() == null ? IcebergCatalogSpec.Defaults.PORT : service.port();
    }
}
