package dev.floe.catalog.store;

/**
 * What a row of {@code catalog_objects} is. Tables and views share one table (and one primary
 * key), so a view can never have the name of a table in the same namespace.
 */
public enum ObjectKind {
    TABLE("table"),
    VIEW("view");

    private final String column;

    ObjectKind(String column) {
        this.column = column;
    }

    /** The value stored in the {@code kind} column, also the entity kind of its sealed fields. */
    public String column() {
        return column;
    }

    static ObjectKind fromColumn(String value) {
        for (ObjectKind kind : values()) {
            if (kind.column.equals(value)) {
                return kind;
            }
        }
        throw new StoreException("metadata store: unknown object kind in database");
    }
}
