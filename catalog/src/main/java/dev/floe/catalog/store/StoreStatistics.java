package dev.floe.catalog.store;

/**
 * Counts for {@code floe status}: what one warehouse holds and which schema version the database is at.
 */
public record StoreStatistics(long namespaces, long tables, long views, String schemaVersion) {}
