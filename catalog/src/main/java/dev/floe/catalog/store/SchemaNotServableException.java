package dev.floe.catalog.store;

/**
 * The metadata store's schema has a migration that this catalog may not serve on (a contract
 * migration recorded in {@code schema_compatibility} with a higher level than
 * {@link SchemaCompatibility#CATALOG_LEVEL}). Nothing was migrated or written; the message says
 * which migration and what to do, and names no credential.
 */
public final class SchemaNotServableException extends StoreException {

    public SchemaNotServableException(String message) {
        super(message);
    }
}
