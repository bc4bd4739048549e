package dev.floe.catalog.store;

import dev.floe.catalog.crypto.SealContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One sealed binary column of the metadata store as re-encryption walks it: the table, the columns
 * that identify a row, and how a row's values make the value's {@link SealContext}.
 *
 * @param table        table name
 * @param keyColumns   the row's key (its primary key): page order and the row a swap updates
 * @param extraColumns further columns the context needs (read only)
 * @param column       the sealed column (BLOB / BYTEA, nullable allowed)
 * @param context      builds the value's context from the row (key and extra columns, as strings)
 */
record SealedColumn(
        String table,
        List<String> keyColumns,
        List<String> extraColumns,
        String column,
        Function<Map<String, String>, SealContext> context) {

    SealedColumn {
        keyColumns = List.copyOf(keyColumns);
        extraColumns = List.copyOf(extraColumns);
        Stream.of(Stream.of(table, column), keyColumns.stream(), extraColumns.stream())
                .flatMap(s -> s)
                .forEach(name -> {
                    // Names go into SQL text: only plain identifiers are accepted.
                    if (!name.matches("[a-z_][a-z0-9_]*")) {
                        throw new IllegalArgumentException("not a plain SQL identifier: " + name);
                    }
                });
    }

    /** {@code table.column}, the name {@link dev.floe.catalog.crypto.SealedValueStore} knows it by. */
    String name() {
        return table + "." + column;
    }
}
