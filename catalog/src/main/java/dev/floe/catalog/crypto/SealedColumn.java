package dev.floe.catalog.crypto;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Describes one sealed binary column of the metadata store for the re-encryption pass: the table,
 * the columns that identify a row, and how a row's values make the value's {@link SealContext}.
 * The store declares these (it owns the schema); the {@link Reencryptor} walks them generically.
 *
 * @param table      table name
 * @param keyColumns columns that identify one row (used in the compare-and-set UPDATE)
 * @param extraColumns further columns the context needs (read only)
 * @param column     the sealed column (BLOB / BYTEA, nullable allowed)
 * @param context    builds the value's context from the row (key and extra columns, as strings)
 */
public record SealedColumn(String table, List<String> keyColumns, List<String> extraColumns, String column,
                           Function<Map<String, String>, SealContext> context) {

    public SealedColumn {
        keyColumns = List.copyOf(keyColumns);
        extraColumns = List.copyOf(extraColumns);
        for (String name : concat(List.of(table, column), concat(keyColumns, extraColumns))) {
            // Names go into SQL text: only plain identifiers are accepted.
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain SQL identifier: " + name);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    String describe() {
        return table + "." + column;
    }
}
