package dev.floe.catalog.kms;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Holds secret key material (a data key, a master key) and zeroises it on {@link #close()}. It
 * prints no content in {@link #toString()}, is not {@link java.io.Serializable} and not
 * {@link Cloneable}, so the bytes cannot leak through logs, exceptions or serialisation. It lives in
 * {@code kms}, the lowest layer, because providers return unwrapped keys in it and {@code crypto}
 * holds them in it.
 *
 * <p>Callers read the bytes only inside {@link #apply(Function)}; the array passed there is the
 * holder's own and must not be retained.
 */
public final class SecretBytes implements AutoCloseable {

    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes}: the caller must not use or zeroise the array afterwards. */
    public static SecretBytes takeOwnership(byte[] bytes) {
        return new SecretBytes(Objects.requireNonNull(bytes, "bytes"));
    }

    /** Copies {@code bytes}; the caller stays responsible for zeroising its own array. */
    public static SecretBytes copyOf(byte[] bytes) {
        return new SecretBytes(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /** Length in bytes; available after close too (it is not secret). */
    public int length() {
        return bytes.length;
    }

    /** Runs {@code reader} over the secret bytes; fails once the holder is closed. */
    public synchronized <T> T apply(Function<byte[], T> reader) {
        if (destroyed) {
            throw new IllegalStateException("secret already destroyed");
        }
        return reader.apply(bytes);
    }

    /** A copy owned by a new holder (e.g. to keep a key beyond this holder's lifetime). */
    public SecretBytes copy() {
        return apply(SecretBytes::copyOf);
    }

    /** Constant-time comparison of the contents. */
    public boolean sameContentAs(SecretBytes other) {
        return apply(mine -> other.apply(theirs -> MessageDigest.isEqual(mine, theirs)));
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the bytes with zeros; idempotent. */
    @Override
    public synchronized void close() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, " + (destroyed ? "destroyed" : "redacted") + "]";
    }

    // Identity semantics on purpose: equals/hashCode over content would invite timing leaks.
}
