package dev.floe.catalog.server;

import dev.floe.catalog.security.ApiKeyCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code --dev} convenience: an admin API key generated once into {@code dev-admin.key} (mode 0600)
 * beside the data and installed as the bootstrap admin key, so a development server is usable
 * right away with {@code Authorization: Bearer <key>}. Never used without {@code --dev}.
 */
public final class DevAdminKey {

    public static final String FILE_NAME = "dev-admin.key";

    private DevAdminKey() {}

    /** The key file in {@code dir}, created with a fresh key the first time. */
    public static Path ensure(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, ApiKeyCredential.generate().token() + "\n", StandardCharsets.US_ASCII);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development admin key " + file, e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
