package dev.floe.catalog.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Parses and validates namespace, table and view names from paths and bodies. A name becomes a
 * directory of the table location, so it must be a safe single path element: no {@code /},
 * {@code \}, control characters (NUL included), not {@code .} or {@code ..}, and at most
 * {@value #MAX_NAME_BYTES} UTF-8 bytes (the usual file-name limit).
 */
public final class Identifiers {

    static final int MAX_NAME_BYTES = 255;
    static final int MAX_NAMESPACE_LEVELS = 16;
    private static final String SEPARATOR = "\u001f";

    private Identifiers() {}

    /**
     * A namespace from a path variable: levels separated by the unit separator (0x1F), either
     * still percent-encoded ({@code %1F}) or already decoded by the router.
     */
    public static Namespace namespace(String pathValue) {
        String value = pathValue;
        if (value.contains("%")) {
            try {
                value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("Invalid namespace encoding: %s", printable(pathValue));
            }
        }
        Namespace namespace = Namespace.of(value.split(SEPARATOR, -1));
        validate(namespace);
        return namespace;
    }

    /** A namespace from the {@code parent} query parameter (same encoding as the path). */
    public static Namespace optionalNamespace(String queryValue) {
        return queryValue == null || queryValue.isEmpty() ? Namespace.empty() : namespace(queryValue);
    }

    public static TableIdentifier table(Namespace namespace, String name) {
        validateName(name, "table or view name");
        return TableIdentifier.of(namespace, name);
    }

    public static void validate(Namespace namespace) {
        if (namespace.isEmpty()) {
            throw new BadRequestException("Invalid namespace: empty");
        }
        if (namespace.length() > MAX_NAMESPACE_LEVELS) {
            throw new BadRequestException("Invalid namespace: more than %d levels", MAX_NAMESPACE_LEVELS);
        }
        for (String level : namespace.levels()) {
            validateName(level, "namespace level");
        }
    }

    public static void validate(TableIdentifier identifier) {
        validate(identifier.namespace());
        validateName(identifier.name(), "table or view name");
    }

    static void validateName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new BadRequestException("Invalid %s: empty", what);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new BadRequestException("Invalid %s: longer than %d bytes", what, MAX_NAME_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new BadRequestException("Invalid %s: '%s' is not allowed", what, name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                throw new BadRequestException("Invalid %s: must not contain '/' or '\\': %s", what, printable(name));
            }
            if (c < 0x20 || c == 0x7f) {
                throw new BadRequestException(
                        "Invalid %s: must not contain control characters: %s", what, printable(name));
            }
        }
    }

    /** A name safe to echo in an error message: control characters escaped, at most 100 chars. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 100 ? out + "…" : out.toString();
    }
}
