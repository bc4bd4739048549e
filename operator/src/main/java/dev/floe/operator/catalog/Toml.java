package dev.floe.operator.catalog;

import dev.floe.contract.ConfigName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny TOML writer for the flat, string/integer/boolean tables of the catalog's configuration
 * file. Tables and keys keep their insertion order so the rendered file (and its hash) is stable.
 */
final class Toml {
    private final Map<String, Map<String, Object>> tables = new LinkedHashMap<>();

    /** {@link #put(String, String, Object)} for a key of the operator-catalog contract. */
    Toml put(ConfigName key, Object value) {
        return put(key.section(), key.name(), value);
    }

    Toml put(String table, String key, Object value) {
        if (value != null) {
            tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(key, value);
        }
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder("# Written by the Floe operator; edits are overwritten.\n");
        tables.forEach((table, entries) -> {
            out.append('\n').append('[').append(table).append("]\n");
            entries.forEach(
                    (k, v) -> out.append(k).append(" = ").append(literal(v)).append('\n'));
        });
        return out.toString();
    }

    private static String literal(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        StringBuilder s = new StringBuilder("\"");
        for (char ch : v.toString().toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        s.append(String.format("\\u%04X", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
