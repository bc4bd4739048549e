package dev.floe.operator.catalog;

import dev.floe.contract.CatalogPod;
import dev.floe.contract.CredentialFiles;
import dev.floe.operator.api.v1alpha1.WarehouseSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.util.List;
import java.util.Map;

/**
 * Where the catalog finds its own object-store credentials from {@code spec.warehouse.credentialsSecret},
 * which depends on the location's scheme: S3 reads a directory of AWS-named files
 * ({@code [warehouse] credentials_dir}); ADLS one shared-key file ({@code adls_account_key_file});
 * GCS a service-account JSON key that Google's Application Default Credentials find through
 * {@code GOOGLE_APPLICATION_CREDENTIALS} (the catalog has no GCS key-file setting). The Secret is
 * always mounted at {@link CatalogPod#WAREHOUSE_SECRET_DIR}; the environment only ever holds a path.
 * With {@code spec.warehouse.workloadIdentity} nothing is mounted and the pods get its labels.
 */
final class WarehouseCredentials {
    /** The shared-key file of an {@code abfss://} warehouse. */
    static final String ADLS_ACCOUNT_KEY_FILE =
            CatalogPod.WAREHOUSE_SECRET_DIR + "/" + CredentialFiles.AZURE_STORAGE_KEY;
    /** The service-account key file of a {@code gs://} warehouse. */
    static final String GCS_KEY_FILE = CatalogPod.WAREHOUSE_SECRET_DIR + "/" + CredentialFiles.GCP_CREDENTIALS;

    static final String VOLUME = "warehouse-credentials";

    /** Which client reads the warehouse, by the location's scheme (the CRD admits only these). */
    enum Store {
        S3,
        ADLS,
        GCS,
        FILE
    }

    private WarehouseCredentials() {}

    static Store store(WarehouseSpec warehouse) {
        String location = warehouse.location();
        if (location.startsWith("abfss://")) {
            return Store.ADLS;
        }
        if (location.startsWith("gs://")) {
            return Store.GCS;
        }
        if (location.startsWith("s3://")) {
            return Store.S3;
        }
        return Store.FILE;
    }

    /** GCS with a Secret: where Google's Application Default Credentials find the key (a path, not the key). */
    static List<EnvVar> env(WarehouseSpec warehouse) {
        return warehouse.credentialsSecret() != null && store(warehouse) == Store.GCS
                ? List.of(new EnvVar(CatalogPod.ENV_GOOGLE_APPLICATION_CREDENTIALS, GCS_KEY_FILE, null))
                : List.of();
    }

    /** Workload identity's pod labels (Azure's webhook injects its token only into labelled pods). */
    static Map<String, String> podLabels(WarehouseSpec warehouse) {
        WarehouseSpec.WorkloadIdentity identity = warehouse.workloadIdentity();
        return identity == null || identity.podLabels() == null ? Map.of() : identity.podLabels();
    }

    /**
     * The Secret keys projected into the pod: for ADLS and GCS only the one file the catalog reads
     * (a missing key then shows as the kubelet's mount error on the pod), for S3 the whole Secret
     * (the session token is optional, which a projection cannot express).
     */
    static List<KeyToPath> items(WarehouseSpec warehouse) {
        return switch (store(warehouse)) {
            case ADLS -> List.of(keyToPath(CredentialFiles.AZURE_STORAGE_KEY));
            case GCS -> List.of(keyToPath(CredentialFiles.GCP_CREDENTIALS));
            case S3, FILE -> null;
        };
    }

    private static KeyToPath keyToPath(String key) {
        return new KeyToPath(key, null, key);
    }
}
