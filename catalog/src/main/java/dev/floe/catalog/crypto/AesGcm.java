package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM through the JCA: 96-bit nonce, 128-bit tag, associated data. One place that names
 * the transformation so the parameters cannot drift between sealing and opening.
 */
public final class AesGcm {

    public static final String TRANSFORMATION = "AES/GCM/NoPadding";
    public static final int KEY_BYTES = 32;
    public static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher per thread, re-initialised (key and nonce) before every operation: looking the
     * provider up with {@code Cipher.getInstance} cost about 3 % of a load's CPU. A Cipher is not
     * thread-safe, hence per thread; {@code init} resets all state, so nothing leaks between uses.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(AesGcm::newCipher);

    private AesGcm() {}

    /** A fresh random 96-bit nonce. */
    public static byte[] newNonce() {
        byte[] nonce = new byte[SealedValueFormat.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** A fresh random 256-bit data key. */
    public static SecretBytes newDataKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return SecretBytes.takeOwnership(key);
    }

    public static byte[] encrypt(SecretBytes key, byte[] nonce, byte[] plaintext, byte[] aad1, byte[] aad2) {
        return run(Cipher.ENCRYPT_MODE, key, nonce, plaintext, aad1, aad2);
    }

    /** Decrypts; throws {@link SealedValueException} when the tag does not verify. */
    public static byte[] decrypt(SecretBytes key, byte[] nonce, byte[] ciphertextAndTag, byte[] aad1, byte[] aad2) {
        return run(Cipher.DECRYPT_MODE, key, nonce, ciphertextAndTag, aad1, aad2);
    }

    private static byte[] run(int mode, SecretBytes key, byte[] nonce, byte[] input, byte[] aad1, byte[] aad2) {
        if (key.length() != KEY_BYTES) {
            throw new IllegalArgumentException("data key must be 32 bytes");
        }
        // SecretKeySpec copies the bytes; the copy is short-lived and referenced only by the cipher.
        SecretKeySpec spec = key.apply(bytes -> new SecretKeySpec(bytes, "AES"));
        GCMParameterSpec params = new GCMParameterSpec(TAG_BITS, nonce);
        try {
            Cipher cipher = CIPHERS.get();
            try {
                cipher.init(mode, spec, params);
            } catch (InvalidAlgorithmParameterException e) {
                // The JDK refuses to re-initialise an encrypting GCM cipher with the key and nonce it
                // last used. Sealers draw a fresh nonce each time, so this only happens when a caller
                // passes the same nonce twice on purpose (test vectors); a new cipher behaves as before.
                cipher = newCipher();
                cipher.init(mode, spec, params);
            }
            cipher.updateAAD(aad1);
            cipher.updateAAD(aad2);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new SealedValueException("sealed value failed authentication: tampered with, moved to another "
                    + "row or field, or sealed under another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available from the JCA: " + e.getMessage(), e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available from the JCA: " + e.getMessage(), e);
        }
    }
}
