package dev.floe.catalog.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the metadata store lives, parsed from the {@code --storage} value: {@code file:///dir} or a
 * plain directory path puts an SQLite database at {@code dir/floe.db}; {@code jdbc:postgresql://…}
 * or {@code postgresql://user:pass@host:port/db} selects PostgreSQL. The password is kept apart from
 * the URL and never appears in {@link #toString()}, so the value can be logged.
 *
 * @param dialect  which database
 * @param jdbcUrl  the JDBC URL without credentials in its authority part
 * @param user     the user name, or null to let the driver decide
 * @param password the password, or null
 */
public record StorageUrl(Dialect dialect, String jdbcUrl, String user, String password) {

    /** The SQLite database file name inside the storage directory. */
    public static final String SQLITE_FILE = "floe.db";

    /**
     * Environment variables that supply PostgreSQL credentials kept out of the URL, for local
     * development; the operator passes its Secret as files ({@code [storage] password_file}).
     */
    public static final String USER_ENV = "FLOE_STORAGE_USERNAME";

    public static final String PASSWORD_ENV = "FLOE_STORAGE_PASSWORD";

    public StorageUrl {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    /**
     * Parses a storage value.
     *
     * @throws IllegalArgumentException naming the accepted forms when the value fits none of them
     */
    public static StorageUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "storage: empty; expected file:///dir, a directory path, jdbc:postgresql://… or postgresql://…");
        }
        String v = value.trim();
        if (v.startsWith("jdbc:postgresql:")) {
            return new StorageUrl(Dialect.POSTGRESQL, v, null, null);
        }
        if (v.startsWith("postgresql://") || v.startsWith("postgres://")) {
            return fromPostgresUri(v);
        }
        if (v.startsWith("jdbc:sqlite:")) {
            return new StorageUrl(Dialect.SQLITE, v, null, null);
        }
        if (v.startsWith("file:")) {
            try {
                return sqliteIn(Path.of(URI.create(v)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage: '" + v + "' is not a file URL of a directory;"
                        + " expected file:///absolute/dir or a plain directory path");
            }
        }
        if (v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("storage: unsupported scheme in '" + redact(v)
                    + "'; expected file:///dir, a directory path, jdbc:postgresql://… or postgresql://…");
        }
        return sqliteIn(Path.of(v));
    }

    /** An SQLite database {@code floe.db} inside {@code directory}. */
    public static StorageUrl sqliteIn(Path directory) {
        Path file = directory.toAbsolutePath().normalize().resolve(SQLITE_FILE);
        return new StorageUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, null, null);
    }

    private static StorageUrl fromPostgresUri(String v) {
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            // the message of URI's exception repeats the input, password included
            throw new IllegalArgumentException("storage: malformed PostgreSQL URL '" + redact(v) + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("storage: PostgreSQL URL '" + redact(v) + "' has no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new StorageUrl(Dialect.POSTGRESQL, jdbc.toString(), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * This storage with the given PostgreSQL user and password (each null to leave it) where the URL
     * itself names none; the URL wins.
     */
    public StorageUrl withCredentials(String newUser, String newPassword) {
        if (dialect != Dialect.POSTGRESQL) {
            return this;
        }
        return new StorageUrl(
                dialect,
                jdbcUrl,
                user != null ? user : nonBlank(newUser),
                password != null ? password : nonBlank(newPassword));
    }

    /**
     * This storage with the PostgreSQL user and password taken from {@code environment}
     * ({@link #USER_ENV}, {@link #PASSWORD_ENV}) where the URL itself names none; the URL wins.
     */
    public StorageUrl withCredentialsFrom(Map<String, String> environment) {
        if (dialect != Dialect.POSTGRESQL) {
            return this;
        }
        return new StorageUrl(
                dialect,
                jdbcUrl,
                user != null ? user : nonBlank(environment.get(USER_ENV)),
                password != null ? password : nonBlank(environment.get(PASSWORD_ENV)));
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The value with any password (in user-info or a {@code password=} parameter) masked. */
    static String redact(String url) {
        return url.replaceAll("://([^:/@]*):[^@/]*@", "://$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "StorageUrl[" + dialect + " " + redact(jdbcUrl) + (user == null ? "" : " user=" + user)
                + (password == null ? "" : " password=***") + "]";
    }
}
