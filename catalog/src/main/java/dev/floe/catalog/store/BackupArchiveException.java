package dev.floe.catalog.store;

/**
 * A backup archive that cannot be restored: corrupted, truncated, of an unknown format or of a
 * newer schema, or a store that cannot receive it (not empty). The message says which and never
 * holds a row's value.
 */
public class BackupArchiveException extends RuntimeException {

    public BackupArchiveException(String message) {
        super(message);
    }

    public BackupArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
