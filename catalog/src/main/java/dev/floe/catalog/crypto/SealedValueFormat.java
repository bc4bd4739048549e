package dev.floe.catalog.crypto;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The versioned byte layout of one sealed value:
 * <pre>
 *   offset  size  field
 *   0       2     magic 0xF1 0x0E ("floe")
 *   2       1     format version (1)
 *   3       16    DEK id (UUID, big-endian)
 *   19      12    nonce (random, fresh per value)
 *   31      n+16  AES-256-GCM ciphertext followed by the 128-bit tag
 * </pre>
 * The 19-byte header is authenticated too (it is part of the associated data), so changing the
 * DEK id or the version is detected. Readers dispatch on the version byte, so a later format can be
 * introduced while version-1 values stay readable.
 */
public final class SealedValueFormat {

    public static final byte MAGIC_0 = (byte) 0xF1;
    public static final byte MAGIC_1 = (byte) 0x0E;
    public static final byte VERSION_1 = 1;
    public static final int HEADER_BYTES = 2 + 1 + 16;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Bytes a sealed value adds to its plaintext. */
    public static final int OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

    private SealedValueFormat() {}

    /** The parsed parts of a sealed value; {@code header} is what the tag also covers. */
    public record Parsed(UUID dekId, byte[] header, byte[] nonce, byte[] ciphertextAndTag) {}

    public static byte[] header(UUID dekId) {
        return ByteBuffer.allocate(HEADER_BYTES)
                .put(MAGIC_0)
                .put(MAGIC_1)
                .put(VERSION_1)
                .putLong(dekId.getMostSignificantBits())
                .putLong(dekId.getLeastSignificantBits())
                .array();
    }

    public static byte[] assemble(byte[] header, byte[] nonce, byte[] ciphertextAndTag) {
        return ByteBuffer.allocate(header.length + nonce.length + ciphertextAndTag.length)
                .put(header)
                .put(nonce)
                .put(ciphertextAndTag)
                .array();
    }

    /** Whether {@code value} starts like a sealed value (used by re-encryption scans). */
    public static boolean looksSealed(byte[] value) {
        return value != null && value.length >= OVERHEAD && value[0] == MAGIC_0 && value[1] == MAGIC_1;
    }

    /** The DEK id of a sealed value without decrypting it. */
    public static UUID dekIdOf(byte[] value) {
        return parse(value).dekId();
    }

    public static Parsed parse(byte[] value) {
        if (value == null || value.length < OVERHEAD) {
            throw new SealedValueException("sealed value is truncated (" + (value == null ? 0 : value.length)
                    + " bytes, at least " + OVERHEAD + " expected)");
        }
        if (value[0] != MAGIC_0 || value[1] != MAGIC_1) {
            throw new SealedValueException("value is not a Floe sealed value (bad magic)");
        }
        if (value[2] != VERSION_1) {
            throw new SealedValueException("unsupported sealed value format version " + (value[2] & 0xff));
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        byte[] header = new byte[HEADER_BYTES];
        in.get(header);
        ByteBuffer ids = ByteBuffer.wrap(header, 3, 16);
        UUID dekId = new UUID(ids.getLong(), ids.getLong());
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        return new Parsed(dekId, header, nonce, rest);
    }
}
