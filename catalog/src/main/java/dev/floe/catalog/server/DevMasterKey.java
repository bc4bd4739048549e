package dev.floe.catalog.server;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.FloeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --dev} convenience: when the local provider's master-key variable is not set, a
 * development key-ring file is created once (mode 0600) beside the data and reused on later
 * starts. Never used without {@code --dev}.
 */
public final class DevMasterKey {

    public static final String FILE_NAME = "dev-master-key.ring";

    private DevMasterKey() {}

    /** The key-ring file to use, or empty when the environment provides the master key (or not --dev). */
    public static Optional<Path> keyRingFile(FloeConfig config, Map<String, String> env, Path dir) {
        if (!config.dev()
                || !config.kms().provider().equals("local")
                || env.get(config.kms().keyEnvVar()) != null
                || !config.kms().keyRingFile().isEmpty()
                || !config.kms().get(ConfigKeys.KMS_KEY_FILE).isEmpty()) {
            return Optional.empty();
        }
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(
                        file, "1:" + Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            }
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development key ring " + file, e);
        }
    }
}
