package dev.floe.catalog.crypto;

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
}
