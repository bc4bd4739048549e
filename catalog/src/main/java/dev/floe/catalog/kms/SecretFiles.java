package dev.floe.catalog.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads secrets from files: a key of a Kubernetes Secret mounted as a volume, a Docker or systemd
 * credential. This is how the operator hands the catalog every credential (no Secret value sits in
 * the pod's environment, where {@code kubectl describe}, crash dumps and child processes see it).
 * Trailing line breaks are dropped ({@code echo secret > file} and {@code kubectl create secret
 * --from-file} add one), as the PostgreSQL image's {@code *_FILE} variables do. Errors name the
 * configuration key and the file, never the content.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /**
     * The content of {@code file} without trailing line breaks.
     *
     * @param key the configuration key that named the file, for the message
     * @throws IllegalArgumentException when the file cannot be read or holds nothing
     */
    public static String read(Path file, String key) {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The exception's message is the path (and the reason): no content to leak.
            throw new IllegalArgumentException(key + ": cannot read secret file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new IllegalArgumentException(key + ": secret file " + file + " is empty");
        }
        return value.substring(0, end);
    }

    /**
     * The files of {@code names} that exist in {@code dir}, by name; {@code required} ones must.
     *
     * @throws IllegalArgumentException naming the directory and the missing file
     */
    public static Map<String, String> readDirectory(Path dir, List<String> names, List<String> required, String key) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(key + ": " + dir + " is not a directory");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                values.put(name, read(file, key));
            } else if (required.contains(name)) {
                throw new IllegalArgumentException(
                        key + ": " + dir + " has no file " + name + " (expected " + String.join(", ", required) + ")");
            }
        }
        return values;
    }
}
