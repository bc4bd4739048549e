package dev.floe.catalog.testing;

import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Test-only {@link FieldSealer}s (the real one is AES-GCM envelope encryption in crypto/): an
 * identity sealer, and a "scrambling" sealer that XORs the bytes and prefixes a marker plus a hash
 * of the context's associated data, so a test can tell sealed from clear bytes in a raw database
 * row and a value opened under the wrong context fails.
 */
public final class TestSealers {

    /** Marks values sealed by {@link #scrambling()}. */
    public static final byte[] MARKER = "TSEAL1:".getBytes(StandardCharsets.US_ASCII);

    private static final int HASH_BYTES = 8;

    private TestSealers() {}

    public static FieldSealer identity() {
        return new FieldSealer() {
            @Override
            public byte[] seal(byte[] plaintext, SealContext context) {
                return plaintext.clone();
            }

            @Override
            public byte[] open(byte[] sealed, SealContext context) {
                return sealed.clone();
            }
        };
    }

    public static FieldSealer scrambling() {
        return new FieldSealer() {
            @Override
            public byte[] seal(byte[] plaintext, SealContext context) {
                byte[] hash = hash(context);
                byte[] out = new byte[MARKER.length + HASH_BYTES + plaintext.length];
                System.arraycopy(MARKER, 0, out, 0, MARKER.length);
                System.arraycopy(hash, 0, out, MARKER.length, HASH_BYTES);
                for (int i = 0; i < plaintext.length; i++) {
                    out[MARKER.length + HASH_BYTES + i] = (byte) (plaintext[i] ^ 0x5A);
                }
                return out;
            }

            @Override
            public byte[] open(byte[] sealed, SealContext context) {
                if (sealed.length < MARKER.length + HASH_BYTES
                        || !Arrays.equals(Arrays.copyOf(sealed, MARKER.length), MARKER)) {
                    throw new IllegalStateException("not a sealed value");
                }
                byte[] expected = Arrays.copyOf(hash(context), HASH_BYTES);
                byte[] actual = Arrays.copyOfRange(sealed, MARKER.length, MARKER.length + HASH_BYTES);
                if (!Arrays.equals(expected, actual)) {
                    throw new IllegalStateException("sealed value opened under the wrong context");
                }
                byte[] out = new byte[sealed.length - MARKER.length - HASH_BYTES];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) (sealed[MARKER.length + HASH_BYTES + i] ^ 0x5A);
                }
                return out;
            }
        };
    }

    private static byte[] hash(SealContext context) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(context.associatedData());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
