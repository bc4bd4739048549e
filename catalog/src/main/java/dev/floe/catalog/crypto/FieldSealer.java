package dev.floe.catalog.crypto;

import java.util.Optional;

/**
 * Seals and opens one sensitive column value of the metadata store. The store calls this for every
 * sensitive column it writes or reads; the envelope-encryption implementation binds the ciphertext
 * to its {@link SealContext} so it cannot be moved to another row or field.
 */
public interface FieldSealer {

    /** Encrypts {@code plaintext} for the place {@code context} describes. */
    byte[] seal(byte[] plaintext, SealContext context);

    /** Decrypts a value produced by {@link #seal}; fails if it was tampered with or moved. */
    byte[] open(byte[] sealed, SealContext context);

    /**
     * {@link #open} for a thread that must not wait: opens only when that needs no call out of the
     * process (no KMS unwrap, no database read of a data key); empty otherwise, and the caller then
     * uses {@link #open} on a thread that may wait. Implementations whose {@code open} never calls
     * out keep this default.
     */
    default Optional<byte[]> openWithoutWaiting(byte[] sealed, SealContext context) {
        return Optional.of(open(sealed, context));
    }
}
