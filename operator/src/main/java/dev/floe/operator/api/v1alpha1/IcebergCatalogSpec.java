package dev.floe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Desired state of an {@link IcebergCatalog}. */
@ValidationRule(
        value = "!has(self.storage.embedded) || self.replicas <= 1",
        message =
                "spec.storage.embedded keeps the catalog database on one volume: set spec.replicas to 0 or 1 (0 stops the catalog and keeps its volume), or use spec.storage.postgres to run several replicas",
        reason = "FieldValueInvalid")
@ValidationRule(
        value =
                "!has(self.backup) || !has(self.backup.target.objectStore) || self.warehouse.location.startsWith('s3://')",
        message =
                "spec.backup.target.objectStore uses the warehouse's S3 client: spec.warehouse.location must be an s3:// location (or back up to a volume)",
        reason = "FieldValueInvalid")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IcebergCatalogSpec(
        @JsonPropertyDescription(
                "Container image of the Floe catalog server (the `floe` command), also used by the key-rotation Jobs. Unset: the operator's default at reconcile time (its FLOE_CATALOG_IMAGE setting, else the catalog image of the operator's own version), so upgrading the operator upgrades the catalog; status.image shows the image in use.")
        String image,

        @JsonPropertyDescription(
                "Number of catalog pods: 0 or 1 with embedded storage; several replicas need PostgreSQL storage. 0 stops the catalog and keeps its data (Ready=False, reason ScaledToZero).")
        @Default("1")
        @Min(0)
        Integer replicas,

        @JsonPropertyDescription(
                "CPU and memory requests and limits of the catalog container, used as written. Unset: requests cpu 100m and memory 384Mi, limit memory 1Gi (the JVM's heap is 75% of the memory limit). A ResourceQuota counting limits.cpu needs limits.cpu here.")
        ResourceRequirements resources,

        @JsonPropertyDescription(
                "Where the catalog keeps its metadata database: exactly one of `embedded` (SQLite on a volume) or `postgres`.")
        @Required
        StorageSpec storage,

        @JsonPropertyDescription("Where table metadata and data files live.") @Required
        WarehouseSpec warehouse,

        @JsonPropertyDescription(
                "How the catalog gets its TLS certificate: at most one of `issuerRef` (cert-manager), `secretName` (your own Secret) or `selfSigned` (an operator-made CA, for development). Nothing set means self-signed.")
        TlsSpec tls,

        @JsonPropertyDescription("Which KmsBinding in this namespace encrypts the catalog's data keys.") @Required
        KmsRef kms,

        @JsonPropertyDescription("Authentication. A bootstrap admin API key is always generated; OIDC is optional.")
        AuthSpec auth,

        @JsonPropertyDescription("How the catalog is exposed inside the cluster.")
        ServiceSpec service,

        @JsonPropertyDescription("Overrides applied to the catalog pods and their ServiceAccount.")
        PodOverrides podTemplate,

        @JsonPropertyDescription("A NetworkPolicy admitting only the listed namespaces and pods to the catalog port.")
        NetworkPolicySpec networkPolicy,

        @JsonPropertyDescription("Prometheus scraping of the catalog: an optional prometheus-operator ServiceMonitor.")
        MonitoringSpec monitoring,

        @JsonPropertyDescription(
                "Scheduled backups of the catalog's metadata store (`floe backup`) to a volume; status.backup lists the last archives. Restore is `floe restore`, see docs/operator.md.")
        BackupSpec backup) {

    /** Without spec.monitoring and spec.backup, for callers written before they existed. */
    public IcebergCatalogSpec(
            String image,
            Integer replicas,
            ResourceRequirements resources,
            StorageSpec storage,
            WarehouseSpec warehouse,
            TlsSpec tls,
            KmsRef kms,
            AuthSpec auth,
            ServiceSpec service,
            PodOverrides podTemplate,
            NetworkPolicySpec networkPolicy) {
        this(
                image,
                replicas,
                resources,
                storage,
                warehouse,
                tls,
                kms,
                auth,
                service,
                podTemplate,
                networkPolicy,
                null,
                null);
    }

    /**
     * Defaults shared by the schema and the reconciler (the API server applies them first). The
     * image has none here on purpose: the operator resolves it at reconcile time (CatalogImage).
     */
    public static final class Defaults {
        public static final int PORT = 8443;

        private Defaults() {}
    }

    @JsonIgnore
    public int replicasOrDefault() {
        return replicas == null ? 1 : replicas;
    }
}
