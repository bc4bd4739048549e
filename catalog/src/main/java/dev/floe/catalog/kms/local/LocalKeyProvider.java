package dev.floe.catalog.kms.local;

import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.SecretFiles;
import dev.floe.catalog.kms.WrappedKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} (alias {@code env}) provider: master keys held by this process, for development
 * and tests only. The master key comes either from an environment variable holding one base64
 * 32-byte key (version {@code 1}, the seed product's {@code key_env_var}), or from a key-ring file
 * with one {@code <version>:<base64 key>} line per version, the last line being the current version;
 * the file is re-read when it changes, so appending a line and running {@code rotate-keys} rotates.
 * Data keys are wrapped with AES-256-GCM under the master key, bound to its id and version.
 */
public final class LocalKeyProvider implements KeyProvider {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKeyProvider.class);
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final Path ringFile;
    private KeyRing ring;
    private FileTime ringModified;

    private record KeyRing(Map<String, SecretBytes> versions, String current) {}

    private LocalKeyProvider(String keyId, Path ringFile, KeyRing ring, FileTime modified) {
        this.keyId = keyId;
        this.ringFile = ringFile;
        this.ring = ring;
        this.ringModified = modified;
        LOG.warn("KMS provider 'local' keeps the master key in this process: for development and tests only, "
                + "use aws, gcp, azure or vault in production");
    }

    /** One master key (version {@code 1}) read from the environment variable {@code envVar}. */
    public static LocalKeyProvider fromEnvironment(String envVar, Map<String, String> env) {
        return fromEnvironment(envVar, env, null);
    }

    /**
     * As {@link #fromEnvironment(String, Map)}, recording {@code keyId} ({@code [kms] key_id}) as the
     * master key id; {@code null} keeps the default {@code env:<variable>}.
     */
    public static LocalKeyProvider fromEnvironment(String envVar, Map<String, String> env, String keyId) {
        Objects.requireNonNull(envVar, "key_env_var");
        String value = env.get(envVar);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("[kms] key_env_var: environment variable " + envVar
                    + " is not set; it must hold a base64-encoded 32-byte key (floe generate-key prints one)");
        }
        SecretBytes key = decodeKey(value.trim(), "environment variable " + envVar);
        Map<String, SecretBytes> versions = new LinkedHashMap<>();
        versions.put("1", key);
        return new LocalKeyProvider(keyId == null ? "env:" + envVar : keyId, null, new KeyRing(versions, "1"), null);
    }

    /**
     * One master key (version {@code 1}) read once from {@code file}, which holds its base64 form (the
     * {@code master-key} of a mounted Secret); {@code keyId} {@code null} records {@code file:<name>}.
     */
    public static LocalKeyProvider fromKeyFile(Path file, String keyId) {
        String value = SecretFiles.read(file, "[kms] key_file");
        SecretBytes key = decodeKey(value.strip(), "[kms] key_file " + file);
        Map<String, SecretBytes> versions = new LinkedHashMap<>();
        versions.put("1", key);
        return new LocalKeyProvider(
                keyId == null ? "file:" + file.getFileName() : keyId, null, new KeyRing(versions, "1"), null);
    }

    /** Several master key versions from a key-ring file; re-read whenever the file changes. */
    public static LocalKeyProvider fromKeyRingFile(Path file) {
        return fromKeyRingFile(file, null);
    }

    /** As {@link #fromKeyRingFile(Path)} with master key id {@code keyId} ({@code null}: {@code file:<name>}). */
    public static LocalKeyProvider fromKeyRingFile(Path file, String keyId) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return new LocalKeyProvider(
                    keyId == null ? "file:" + file.getFileName() : keyId, file, readRing(file), modified);
        } catch (IOException e) {
            throw new IllegalArgumentException("[kms] key_ring_file: cannot read " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public synchronized MasterKeyVersion currentVersion() {
        reloadIfChanged();
        return new MasterKeyVersion(keyId, ring.current());
    }

    @Override
    public synchronized WrappedKey wrap(SecretBytes dataKey) {
        reloadIfChanged();
        String version = ring.current();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = ring.versions()
                .get(version)
                .apply(master -> dataKey.apply(plain -> {
                    Cipher cipher = cipher(Cipher.ENCRYPT_MODE, master, nonce, version);
                    return doFinal(cipher, plain);
                }));
        byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                .put(nonce)
                .put(sealed)
                .array();
        return new WrappedKey(out, keyId, version);
    }

    @Override
    public synchronized SecretBytes unwrap(WrappedKey wrapped) {
        reloadIfChanged();
        if (!keyId.equals(wrapped.keyId())) {
            throw new KmsException("local KMS: data key was wrapped by master key " + wrapped.keyId()
                    + ", this provider holds " + keyId);
        }
        SecretBytes master = ring.versions().get(wrapped.keyVersion());
        if (master == null) {
            throw new KmsException("local KMS: master key version " + wrapped.keyVersion() + " of " + keyId
                    + " is not in the key ring");
        }
        byte[] blob = wrapped.ciphertext();
        if (blob.length < NONCE_BYTES + 16) {
            throw new KmsException("local KMS: wrapped key is too short");
        }
        byte[] nonce = Arrays.copyOf(blob, NONCE_BYTES);
        byte[] plain = master.apply(m -> {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, m, nonce, wrapped.keyVersion());
            return doFinal(cipher, Arrays.copyOfRange(blob, NONCE_BYTES, blob.length));
        });
        return SecretBytes.takeOwnership(plain);
    }

    @Override
    public synchronized void close() {
        ring.versions().values().forEach(SecretBytes::close);
    }

    private Cipher cipher(int mode, byte[] master, byte[] nonce, String version) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(("floe-local-wrap|" + keyId + "|" + version).getBytes(StandardCharsets.UTF_8));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new KmsException("local KMS: AES-GCM unavailable: " + e.getMessage(), e);
        }
    }

    private static byte[] doFinal(Cipher cipher, byte[] input) {
        try {
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new KmsException("local KMS: wrapped key failed authentication (wrong master key or corrupted)");
        }
    }

    private void reloadIfChanged() {
        if (ringFile == null) {
            return;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(ringFile);
            if (!modified.equals(ringModified)) {
                KeyRing fresh = readRing(ringFile);
                KeyRing old = ring;
                ring = fresh;
                ringModified = modified;
                old.versions().values().forEach(SecretBytes::close);
                LOG.info("local KMS: key ring {} reloaded, current version {}", ringFile, fresh.current());
            }
        } catch (IOException | IllegalArgumentException e) {
            // Keep serving with the versions already loaded; a half-written file must not take us down.
            LOG.warn("local KMS: cannot reload key ring {}: {}", ringFile, e.getMessage());
        }
    }

    private static KeyRing readRing(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, SecretBytes> versions = new LinkedHashMap<>();
        String current = null;
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "key ring " + file + " line " + n + ": expected '<version>:<base64 32-byte key>'");
            }
            String version = line.substring(0, colon).strip();
            if (versions.containsKey(version)) {
                throw new IllegalArgumentException(
                        "key ring " + file + " line " + n + ": duplicate version " + version);
            }
            versions.put(version, decodeKey(line.substring(colon + 1).strip(), "key ring " + file + " line " + n));
            current = version;
        }
        if (current == null) {
            throw new IllegalArgumentException("key ring " + file + " holds no key");
        }
        return new KeyRing(versions, current);
    }

    private static SecretBytes decodeKey(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": not valid base64");
        }
        if (key.length != 32) {
            int len = key.length;
            Arrays.fill(key, (byte) 0);
            throw new IllegalArgumentException(where + ": master key must be 32 bytes, got " + len);
        }
        return SecretBytes.takeOwnership(key);
    }
}
