package dev.floe.catalog.store;

import java.util.Arrays;
import java.util.List;

/**
 * How namespace levels are stored in one text column: joined by U+001F (the ASCII unit
 * separator), which no level or name may contain. A key of n levels has a parent key of n-1 levels;
 * the root is the empty string. Keys also form the entity ids bound into sealed values.
 */
public final class Keys {

    /** The separator between namespace levels (and between namespace and object name). */
    public static final char SEPARATOR = '\u001f';

    private Keys() {}

    /** The stored key of a namespace given as its levels. */
    public static String namespaceKey(List<String> levels) {
        for (String level : levels) {
            checkPart(level, "namespace level");
        }
        return String.join(String.valueOf(SEPARATOR), levels);
    }

    /** The levels of a stored namespace key ("" is the root, with no levels). */
    public static List<String> levels(String namespaceKey) {
        if (namespaceKey.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(namespaceKey.split(String.valueOf(SEPARATOR), -1));
    }

    /** The entity id of a table or view: its namespace key and name. */
    static String objectId(String namespaceKey, String name) {
        return namespaceKey + SEPARATOR + name;
    }

    static String checkPart(String part, String what) {
        if (part == null || part.isEmpty()) {
            throw new IllegalArgumentException("Invalid " + what + ": empty");
        }
        if (part.indexOf(SEPARATOR) >= 0 || part.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("Invalid " + what + ": contains a control character");
        }
        return part;
    }
}
