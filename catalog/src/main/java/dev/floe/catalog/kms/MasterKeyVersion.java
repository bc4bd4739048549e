package dev.floe.catalog.kms;

import java.util.Objects;

/**
 * One version of a master key in a KMS.
 *
 * @param keyId   the master key's identifier as configured or reported by the KMS
 * @param version the version label (AWS: the key's ARN-internal material is not exposed, so the
 *                provider reports what the KMS does; Vault/GCP/Azure: the version number or id)
 */
public record MasterKeyVersion(String keyId, String version) {
    public MasterKeyVersion {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(version, "version");
    }
}
