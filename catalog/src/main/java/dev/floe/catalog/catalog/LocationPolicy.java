package dev.floe.catalog.catalog;

import java.util.Locale;
import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * Where one warehouse lets its tables, views and namespaces live: under its root (the warehouse
 * location) and, unless {@link Placement#WAREHOUSE} is configured, each table and view under its own
 * namespace's location. Pure rules on parsed locations; {@link LocationConfinement} applies them with
 * what the store knows about other objects.
 *
 * @param root      the warehouse location
 * @param placement how freely tables and views may choose a location inside the root
 */
public record LocationPolicy(StorageLocation root, Placement placement) {

    /** The catalog property (from {@code [warehouse] table_locations}) that selects the placement. */
    public static final String PLACEMENT_PROPERTY = "floe.table-locations";

    /** How freely a table or view may choose its location. */
    public enum Placement {
        /** Under its namespace's location (the default, and what keeps scoped callers apart). */
        NAMESPACE,
        /** Anywhere inside the warehouse root, still never overlapping another table, view or namespace. */
        WAREHOUSE;

        /** Parses {@code namespace} or {@code warehouse}. */
        public static Placement parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(
                        PLACEMENT_PROPERTY + ": invalid value '" + value + "'; accepted: namespace, warehouse");
            }
        }
    }

    /**
     * Parses {@code location} and checks that it lies inside the warehouse root.
     *
     * @param what names the input in the error (the caller's own words: "table location", …)
     * @throws org.apache.iceberg.exceptions.BadRequestException (400) when it is malformed
     * @throws ForbiddenException (403) when it lies outside the warehouse
     */
    public StorageLocation inRoot(String location, String what) {
        StorageLocation parsed = StorageLocation.parse(location);
        if (!root.contains(parsed)) {
            // the root is not named: the caller learns only that its own input was refused
            throw new ForbiddenException("Invalid %s '%s': outside the warehouse location", what, location);
        }
        return parsed;
    }
}
