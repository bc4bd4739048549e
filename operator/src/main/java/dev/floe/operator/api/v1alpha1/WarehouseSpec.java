package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The warehouse root of the catalog's tables. */
@ValidationRule(
        value = "!has(self.s3) || !has(self.s3.vending) || self.location.startsWith('s3://')",
        message = "s3.vending needs an s3:// warehouse location (only S3 credentials are vended)",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WarehouseSpec(
        @JsonPropertyDescription(
                "Warehouse root: `s3://bucket/prefix`, `gs://bucket/prefix`, `abfss://container@account.dfs.core.windows.net/prefix` or `file:///path`.")
        @Required
        @Pattern("^(s3|gs|abfss|file)://.+")
        String location,

        @JsonPropertyDescription(
                "Secret in this namespace with the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (optionally AWS_SESSION_TOKEN), mounted read-only in the catalog pods as files (never environment variables). Leave unset with workload identity.")
        @Pattern(Names.DNS_SUBDOMAIN)
        String credentialsSecret,

        @JsonPropertyDescription(
                "How the catalog reaches an `s3://` warehouse, and the role it vends engines' credentials from; written to the catalog's configuration as [warehouse] s3_* keys.")
        S3Options s3) {

    /** Options for S3 and S3-compatible stores: the catalog's {@code [warehouse] s3_*} keys. */
    @ValidationRule(
            value = "!has(self.vending) || !has(self.endpoint) || has(self.vending.stsEndpoint)",
            message =
                    "s3.vending with a custom s3.endpoint needs s3.vending.stsEndpoint: AWS STS cannot issue credentials for another S3 service",
            reason = "FieldValueRequired")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Options(
            @JsonPropertyDescription(
                    "S3 API endpoint URL, for S3-compatible stores (MinIO, Ceph, s3proxy), for example `http://s3.storage.svc:9000`. Unset: AWS S3.")
            @Pattern("^https?://.+")
            String endpoint,

            @JsonPropertyDescription(
                    "Region of the bucket (signing, and AWS S3's endpoint). Unset: the AWS SDK's default chain (AWS_REGION, profile).")
            String region,

            @JsonPropertyDescription(
                    "Address buckets as `<endpoint>/<bucket>` instead of `<bucket>.<endpoint host>`. Needed when the endpoint is a Kubernetes Service (`<bucket>.<service>.<namespace>.svc` does not resolve) and by S3-compatible stores without virtual-host support. Default false.")
            Boolean pathStyleAccess,

            @JsonPropertyDescription(
                    "Credential vending: engines that ask (`X-Iceberg-Access-Delegation: vended-credentials`) get short-lived credentials from STS AssumeRole on this role, limited to one table's location, read-only for readers. The catalog's own AWS identity (credentialsSecret or workload identity) must be allowed to assume the role. Unset: no vending.")
            S3Vending vending) {

        /** Without credential vending. */
        public S3Options(String endpoint, String region, Boolean pathStyleAccess) {
            this(endpoint, region, pathStyleAccess, null);
        }
    }

    /** The catalog's {@code [warehouse] s3_vending_role_arn}, {@code s3_vending_lifetime_seconds} and {@code s3_sts_endpoint}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3Vending(
            @JsonPropertyDescription(
                    "IAM role to assume, `arn:<partition>:iam::<account>:role/<name>`. Its policies bound what any vended credential can do; its trust policy must name the catalog's identity.")
            @Required
            @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@/_-]+$")
            String roleArn,

            @JsonPropertyDescription(
                    "Lifetime of each vended credential in seconds, 900 to 43200 and at most the role's maximum session duration. Default 3600.")
            @Min(900)
            @Max(43200)
            Integer lifetimeSeconds,

            @JsonPropertyDescription(
                    "STS API endpoint URL (an interface VPC endpoint, or the STS of an S3-compatible store). Unset: AWS STS in the warehouse's region.")
            @Pattern("^https?://.+")
            String stsEndpoint) {}
}
