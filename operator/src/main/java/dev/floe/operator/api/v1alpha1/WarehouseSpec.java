package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * The warehouse root of the catalog's tables, and how the catalog reaches its object store: the
 * options block of the location's scheme ({@code s3}, {@code adls} or {@code gcs}) and the
 * catalog's own credentials, from a Secret or from workload identity.
 */
@ValidationRule(
        value = "(has(self.s3) ? 1 : 0) + (has(self.adls) ? 1 : 0) + (has(self.gcs) ? 1 : 0) <= 1",
        message = "set at most one of warehouse.s3, warehouse.adls or warehouse.gcs: the one of the location's scheme",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.s3) || self.location.startsWith('s3://')",
        message = "warehouse.s3 (and s3.vending) needs an s3:// warehouse location",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.adls) || self.location.startsWith('abfss://')",
        message = "warehouse.adls needs an abfss:// warehouse location",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.gcs) || self.location.startsWith('gs://')",
        message = "warehouse.gcs needs a gs:// warehouse location",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!has(self.credentialsSecret) || !has(self.workloadIdentity)",
        message = "set at most one of warehouse.credentialsSecret or warehouse.workloadIdentity",
        reason = "FieldValueInvalid")
@ValidationRule(
        value = "!(has(self.credentialsSecret) || has(self.workloadIdentity)) || !self.location.startsWith('file://')",
        message =
                "warehouse.credentialsSecret and warehouse.workloadIdentity are for object stores: a file:// warehouse needs neither",
        reason = "FieldValueInvalid")
@ValidationRule(
        value =
                "!has(self.gcs) || !has(self.gcs.noAuth) || !self.gcs.noAuth || !(has(self.credentialsSecret) || has(self.workloadIdentity))",
        message =
                "warehouse.gcs.noAuth sends no credentials (emulators only): unset warehouse.credentialsSecret and warehouse.workloadIdentity",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WarehouseSpec(
        @JsonPropertyDescription(
                "Warehouse root: `s3://bucket/prefix`, `gs://bucket/prefix`, `abfss://container@account.dfs.core.windows.net/prefix` or `file:///path`.")
        @Required
        @Pattern("^(s3|gs|abfss|file)://.+")
        String location,

        @JsonPropertyDescription(
                "Secret in this namespace with the catalog's own object-store credentials, mounted read-only in the catalog pods as files (never environment variables). Keys by scheme: s3:// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (optionally AWS_SESSION_TOKEN); abfss:// AZURE_STORAGE_KEY (the storage account's shared key); gs:// credentials.json (a service-account JSON key, named by GOOGLE_APPLICATION_CREDENTIALS). Leave unset with workloadIdentity.")
        @Pattern(Names.DNS_SUBDOMAIN)
        String credentialsSecret,

        @JsonPropertyDescription(
                "How the catalog reaches an `s3://` warehouse, and the role it vends engines' credentials from; written to the catalog's configuration as [warehouse] s3_* keys.")
        S3Options s3,

        @JsonPropertyDescription(
                "How the catalog reaches an `abfss://` warehouse (Azure Data Lake Storage Gen2); [warehouse] adls_* keys.")
        AdlsOptions adls,

        @JsonPropertyDescription(
                "How the catalog reaches a `gs://` warehouse (Google Cloud Storage); [warehouse] gcs_* keys.")
        GcsOptions gcs,

        @JsonPropertyDescription(
                "The catalog's object-store identity comes from the cloud's workload identity instead of a Secret: nothing is mounted and the SDK's default credential chain applies. Set the annotations (and, for Azure, labels) your cloud needs; `{}` when none are needed (EKS Pod Identity, GKE workload identity federation without a Google service account).")
        WorkloadIdentity workloadIdentity) {

    /** Without the ADLS, GCS and workload-identity fields, for callers written before they existed. */
    public WarehouseSpec(String location, String credentialsSecret, S3Options s3) {
        this(location, credentialsSecret, s3, null, null, null);
    }

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
            S3Vending vending,

            @JsonPropertyDescription(
                    "Remote signing: engines that ask (`X-Iceberg-Access-Delegation: remote-signing`) get no keys; the catalog signs each S3 request for them with its own credentials, only for the table's own objects, reads only for readers. Default false.")
            Boolean remoteSigning) {

        /** Without credential vending or remote signing. */
        public S3Options(String endpoint, String region, Boolean pathStyleAccess) {
            this(endpoint, region, pathStyleAccess, null, null);
        }

        /** With credential vending, without remote signing. */
        public S3Options(String endpoint, String region, Boolean pathStyleAccess, S3Vending vending) {
            this(endpoint, region, pathStyleAccess, vending, null);
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

    /** Options for ADLS Gen2 storage accounts: the catalog's {@code [warehouse] adls_*} keys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AdlsOptions(
            @JsonPropertyDescription(
                    "Storage account endpoint URL, for emulators (Azurite `http://azurite.storage.svc:10000/devstoreaccount1`), private endpoints and sovereign clouds. Unset: `https://<account host of the location>`.")
            @Pattern("^https?://.+")
            String endpoint) {}

    /** Options for Google Cloud Storage: the catalog's {@code [warehouse] gcs_*} keys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GcsOptions(
            @JsonPropertyDescription(
                    "JSON API endpoint URL, for emulators (fake-gcs-server) and Private Service Connect. Unset: Google's.")
            @Pattern("^https?://.+")
            String endpoint,

            @JsonPropertyDescription("Google Cloud project of the bucket. Unset: the credentials' project.")
            @Pattern("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
            String projectId,

            @JsonPropertyDescription(
                    "Send requests without credentials: for emulators only, never for Google Cloud Storage. Default false.")
            Boolean noAuth) {}

    /**
     * Workload identity for the catalog's object-store access: what the cloud's admission webhook or
     * metadata server needs to map the catalog's ServiceAccount to a cloud identity.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadIdentity(
            @JsonPropertyDescription(
                    "Annotations for the catalog's ServiceAccount: `eks.amazonaws.com/role-arn` (EKS IRSA), `iam.gke.io/gcp-service-account` (GKE), `azure.workload.identity/client-id` (Azure).")
            Map<String, String> serviceAccountAnnotations,

            @JsonPropertyDescription(
                    "Labels for the catalog pods: Azure workload identity injects its token only into pods labelled `azure.workload.identity/use: \"true\"`.")
            Map<String, String> podLabels) {}
}
