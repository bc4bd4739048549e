package dev.floe.catalog.kms;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key as a KMS wrapped it: the opaque ciphertext plus the master key id and version that
 * wrapped it. Not secret (it is useless without the KMS), but its bytes are never logged either.
 *
 * @param ciphertext the provider's wrapped-key blob
 * @param keyId      the master key's identifier (ARN, resource name, key name, file version label)
 * @param keyVersion the master key version used; rotation rewraps every DEK not on the current one
 */
public record WrappedKey(byte[] ciphertext, String keyId, String keyVersion) {

    public WrappedKey {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyVersion, "keyVersion");
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public MasterKeyVersion masterKeyVersion() {
        return new MasterKeyVersion(keyId, keyVersion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w
                && Arrays.equals(ciphertext, w.ciphertext)
                && keyId.equals(w.keyId)
                && keyVersion.equals(w.keyVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ciphertext), keyId, keyVersion);
    }

    @Override
    public String toString() {
        return "WrappedKey[keyId=" + keyId + ", keyVersion=" + keyVersion + ", " + ciphertext.length + " bytes]";
    }
}
