package dev.floe.operator.catalog;

import dev.floe.contract.CatalogPod;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.WarehouseSpec;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The volumes of a pod that runs the catalog's image and their mounts in its one container, added
 * in pairs so that every volume is mounted where the catalog's TOML ({@link CatalogToml}) or command
 * line expects it. The catalog Deployment, the backup Jobs and the rotation Jobs mount the same
 * kinds of volume this way. Secrets are mounted read-only with mode 0440 (group fsGroup, so whatever
 * UID the pod runs as can read them).
 */
final class PodVolumes {

    private final List<Volume> volumes = new ArrayList<>();
    private final List<VolumeMount> mounts = new ArrayList<>();

    /** The catalog's ConfigMap (its TOML), read-only at {@link CatalogNames#CONFIG_DIR}. */
    PodVolumes config(IcebergCatalog catalog) {
        return add(
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName(CatalogNames.configMap(catalog))
                        .endConfigMap()
                        .build(),
                readOnly("config", CatalogNames.CONFIG_DIR));
    }

    /** Scratch space at /tmp: the container's root file system is read-only. */
    PodVolumes tmp() {
        return add(
                new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build(),
                writable("tmp", "/tmp"));
    }

    /**
     * The embedded store's claim at {@link CatalogNames#DATA_DIR}, writable (also for a reader:
     * SQLite readers of a WAL database use its shared-memory file beside it).
     */
    PodVolumes data(IcebergCatalog catalog) {
        return claim("data", CatalogNames.dataClaim(catalog), CatalogNames.DATA_DIR);
    }

    /** A PersistentVolumeClaim, writable at {@code path}. */
    PodVolumes claim(String volume, String claimName, String path) {
        return add(
                new VolumeBuilder()
                        .withName(volume)
                        .withNewPersistentVolumeClaim()
                        .withClaimName(claimName)
                        .endPersistentVolumeClaim()
                        .build(),
                writable(volume, path));
    }

    /** A Secret's keys as read-only files at {@code path}; only {@code items} when not null. */
    PodVolumes secret(String volume, String secretName, List<KeyToPath> items, String path) {
        return add(
                new VolumeBuilder()
                        .withName(volume)
                        .withNewSecret()
                        .withSecretName(secretName)
                        .withItems(items)
                        .withDefaultMode(0440)
                        .endSecret()
                        .build(),
                readOnly(volume, path));
    }

    /** The PostgreSQL user name and password files of {@code secretName}, where the TOML names them. */
    PodVolumes storageCredentials(String secretName) {
        return secret(
                "storage-credentials",
                secretName,
                List.of(
                        new KeyToPath(CatalogPod.STORAGE_USERNAME, null, CatalogPod.STORAGE_USERNAME),
                        new KeyToPath(CatalogPod.STORAGE_PASSWORD, null, CatalogPod.STORAGE_PASSWORD)),
                CatalogPod.STORAGE_SECRET_DIR);
    }

    /**
     * The warehouse's object-store credentials where the TOML names them, with the keys
     * {@link WarehouseCredentials#items} projects; nothing without {@code credentialsSecret}.
     */
    PodVolumes warehouseCredentials(WarehouseSpec warehouse) {
        return warehouse.credentialsSecret() == null
                ? this
                : secret(
                        WarehouseCredentials.VOLUME,
                        warehouse.credentialsSecret(),
                        WarehouseCredentials.items(warehouse),
                        CatalogPod.WAREHOUSE_SECRET_DIR);
    }

    List<Volume> volumes() {
        return volumes;
    }

    List<VolumeMount> mounts() {
        return mounts;
    }

    private PodVolumes add(Volume volume, VolumeMount mount) {
        volumes.add(volume);
        mounts.add(mount);
        return this;
    }

    private static VolumeMount readOnly(String volume, String path) {
        return new VolumeMountBuilder()
                .withName(volume)
                .withMountPath(path)
                .withReadOnly(true)
                .build();
    }

    private static VolumeMount writable(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
    }
}
