package dev.floe.catalog.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Decides whether this catalog may serve on the schema it finds, so that a rolling upgrade never
 * leaves an older replica serving on a schema it would misread. Migrations are expand-only by
 * default (additive: an older catalog keeps working on the migrated schema, and ignores tables and
 * columns it does not know). A contract migration, which removes or changes something older
 * catalogs still use, records in {@code schema_compatibility} the oldest catalog level that may
 * serve once it is applied; a catalog whose {@link #CATALOG_LEVEL} is lower refuses to serve.
 */
public final class SchemaCompatibility {

    /**
     * This catalog's compatibility level. Raise it in the release whose code stops using what a
     * later contract migration will remove; that contract migration then records this level as
     * {@code oldest_serving_level}, so every catalog from that release on keeps serving on it.
     */
    public static final int CATALOG_LEVEL = 1;

    static final String TABLE = "schema_compatibility";

    private SchemaCompatibility() {}

    /** Throws {@link SchemaNotServableException} when a catalog of {@code level} may not serve on the store's schema. */
    static void requireServable(DataSource dataSource, int level) {
        List<String> refusals = refusals(dataSource, level);
        if (!refusals.isEmpty()) {
            throw new SchemaNotServableException("metadata store schema is newer than this catalog accepts: "
                    + String.join("; ", refusals) + ". This catalog (compatibility level " + level
                    + ") does not serve on it: run a catalog release that accepts the schema");
        }
    }

    /** One line per recorded contract migration that needs a level above {@code level}; empty if it may serve. */
    static List<String> refusals(DataSource dataSource, int level) {
        try (Connection connection = dataSource.getConnection()) {
            List<String> refusals = new ArrayList<>();
            if (!tableExists(connection)) {
                return refusals; // a schema from before the gate: it has no contract migration
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT migration, oldest_serving_level, reason"
                    + " FROM " + TABLE + " WHERE oldest_serving_level > ? ORDER BY migration")) {
                select.setInt(1, level);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        refusals.add("migration " + rows.getString(1) + " needs compatibility level " + rows.getInt(2)
                                + " or later (" + rows.getString(3) + ")");
                    }
                }
            }
            return refusals;
        } catch (SQLException e) {
            throw new StoreException("metadata store: cannot read " + TABLE + ": " + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        try (ResultSet tables = metadata.getTables(null, connection.getSchema(), TABLE, null)) {
            return tables.next();
        }
    }
}
