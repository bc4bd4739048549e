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
        @JsonPropertyDescription("Secret in this namespace with the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (optionally AWS_SESSION_TOKEN), mounted read-only in the catalog pods as files (never environment variables). Leave unset with workload identity.")
        @Pattern(Names.DNS_SUBDOMAIN)
        String credentialsSecret,
        @JsonPropertyDescription("How the catalog reaches an `s3://` warehouse; written to the catalog's configuration as [warehouse] s3_endpoint, s3_region and s3_path_style_access.")
        S3Options s3) {

    /** Options for S3 and S3-compatible stores: the catalog's {@code [warehouse] s3_*} keys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Options(
            @JsonPropertyDescription("S3 API endpoint URL, for S3-compatible stores (MinIO, Ceph, s3proxy), for example `http://s3.storage.svc:9000`. Unset: AWS S3.")
            @Pattern("^https?://.+")
            String endpoint,
            @JsonPropertyDescription("Region of the bucket (signing, and AWS S3's endpoint). Unset: the AWS SDK's default chain (AWS_REGION, profile).")
            String region,
            @JsonPropertyDescription("Address buckets as `<endpoint>/<bucket>` instead of `<bucket>.<endpoint host>`. Needed when the endpoint is a Kubernetes Service (`<bucket>.<service>.<namespace>.svc` does not resolve) and by S3-compatible stores without virtual-host support. Default false.")
            Boolean pathStyleAccess) {
    }
}
