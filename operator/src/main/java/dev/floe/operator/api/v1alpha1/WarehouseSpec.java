package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The warehouse root of the catalog's tables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WarehouseSpec(
        @JsonPropertyDescription("Warehouse root: `s3://bucket/prefix`, `gs://bucket/prefix`, `abfss://container@account.dfs.core.windows.net/prefix` or `file:///path`.")
        @Required
        @Pattern("^(s3|gs|abfss|file)://.+")
        String location,
        @JsonPropertyDescription("Secret in this namespace whose keys become environment variables of the catalog (for example AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Leave unset with workload identity.")
        @Pattern(Names.DNS_SUBDOMAIN)
        String credentialsSecret,
        @JsonPropertyDescription("S3 options for S3-compatible object stores.")
        S3Options s3) {

    /** Options for S3 and S3-compatible stores. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Options(
            @JsonPropertyDescription("S3 endpoint URL, for S3-compatible stores (MinIO, Ceph).")
            @Pattern("^https?://.+")
            String endpoint,
            @JsonPropertyDescription("S3 region.")
            String region,
            @JsonPropertyDescription("Use path-style bucket addressing.")
            Boolean pathStyleAccess) {
    }
}
