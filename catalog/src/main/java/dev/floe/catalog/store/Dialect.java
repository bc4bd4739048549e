package dev.floe.catalog.store;

/**
 * The SQL databases the metadata store runs on. Each has its own folder of Flyway migrations, since
 * column types (BLOB vs BYTEA) and collations differ.
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The Flyway location holding this dialect's expand-only migrations, applied by every replica at start. */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /**
     * The Flyway location holding this dialect's contract migrations (they remove or change what
     * older catalogs use): applied only by {@code floe migrate}, once no older catalog serves.
     */
    public String contractMigrationLocation() {
        return "classpath:db/migration/" + migrationFolder + "-contract";
    }
}
