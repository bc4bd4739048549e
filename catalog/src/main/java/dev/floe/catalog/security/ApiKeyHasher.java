package dev.floe.catalog.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes and verifies API key secrets. The secret is 256 random bits, so a single SHA-256 is
 * preimage-resistant without a slow password KDF (bcrypt/scrypt/Argon2 protect low-entropy
 * passwords from guessing; nobody can enumerate 2^256 secrets). The key id and a version label are
 * hashed in, so a hash row copied onto another key id does not verify. Comparison is constant-time.
 */
public final class ApiKeyHasher {

    private static final byte[] LABEL = "floe-api-key-v1".getBytes(StandardCharsets.US_ASCII);

    private ApiKeyHasher() {}

    /** The stored hash of {@code credential}. */
    public static byte[] hash(ApiKeyCredential credential) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(LABEL);
            digest.update((byte) 0);
            digest.update(credential.keyId().getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 0);
            digest.update(credential.secret().getBytes(StandardCharsets.US_ASCII));
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code credential} hashes to {@code storedHash}, in time independent of where they differ. */
    public static boolean verify(ApiKeyCredential credential, byte[] storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash(credential), storedHash);
    }
}
