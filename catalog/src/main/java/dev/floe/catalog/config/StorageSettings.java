package dev.floe.catalog.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the metadata store lives, as given by {@code --storage} / {@code [storage] url}:
 * {@code file:///dir} (embedded SQLite in that directory) or a PostgreSQL URL, and the files holding
 * the PostgreSQL credentials ({@code [storage] username_file}, {@code password_file}; {@code ""}
 * when unset). The values of those files are read where the store is opened, not kept here.
 */
public record StorageSettings(String url, String usernameFile, String passwordFile) {

    public StorageSettings(String url) {
        this(url, "", "");
    }

    /** What kind of database the URL names. */
    public enum Kind {
        SQLITE,
        POSTGRESQL
    }

    public Kind kind() {
        return url.startsWith("file:") ? Kind.SQLITE : Kind.POSTGRESQL;
    }

    /** For {@code file:} URLs: the data directory. */
    public Path directory() {
        if (kind() != Kind.SQLITE) {
            throw new IllegalStateException("not a file: storage URL");
        }
        return fileUrlToPath(url);
    }

    /** The JDBC URL for this storage: {@code jdbc:sqlite:<dir>/floe.db} or {@code jdbc:postgresql://…}. */
    public String jdbcUrl() {
        if (kind() == Kind.SQLITE) {
            return "jdbc:sqlite:" + directory().resolve("floe.db");
        }
        return url.startsWith("jdbc:") ? url : "jdbc:" + url;
    }

    /** {@code file:///abs}, {@code file:/abs} and {@code file://./rel} all work (the last is relative to the working directory). */
    static Path fileUrlToPath(String url) {
        String rest = url.substring("file:".length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isEmpty()) {
            throw new ConfigException("storage.url: empty path in '" + url + "'");
        }
        return Paths.get(rest).toAbsolutePath().normalize();
    }
}
