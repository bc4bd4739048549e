package dev.floe.catalog.crypto;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stored sealed values, as key rotation needs them: pages of one sealed column in row-key
 * order, a compare-and-set swap of one value, and a count of values per data key. The JDBC
 * implementation is {@code dev.floe.catalog.store.SealedValueRepository}: the store owns the tables
 * and their SQL, and the interface lives here so that the store depends on crypto, not the reverse.
 */
public interface SealedValueStore {

    /**
     * One stored sealed value.
     *
     * @param column  the column it is stored in, as named by {@link #columns()}
     * @param rowKey  the row's key values, in key order: where the next page starts, and which row a swap updates
     * @param context the context it was sealed under
     * @param sealed  the stored bytes (null when the column is NULL in that row)
     */
    record Cell(String column, List<String> rowKey, SealContext context, byte[] sealed) {
        public Cell {
            rowKey = List.copyOf(rowKey);
        }
    }

    /** The sealed columns re-encryption walks, e.g. {@code namespaces.properties}. */
    List<String> columns();

    /**
     * Up to {@code limit} values of {@code column} whose row key sorts after {@code after} (all
     * rows when empty), in row-key order. Paging by key, not by offset, so rows deleted or added
     * meanwhile never shift a row out of the scan.
     */
    List<Cell> page(String column, List<String> after, int limit);

    /**
     * Replaces the value of {@code cell}'s row with {@code replacement} if the row still holds
     * exactly {@code cell.sealed()}; false when the row was deleted or rewritten meanwhile.
     */
    boolean swap(Cell cell, byte[] replacement);

    /**
     * Values per data-key id in every binary column of every table the store uses (its schema),
     * declared in {@link #columns()} or not: the last check before a data key is destroyed, so that
     * a sealed column someone forgot to declare keeps its key alive instead of becoming unreadable.
     */
    Map<UUID, Integer> countByDataKey();
}
