package dev.floe.catalog.vending;

/**
 * What vended storage credentials allow on a table's files: {@link #READ} for callers who may only
 * read the table, {@link #READ_WRITE} for callers who may commit to it. The catalog's authorisation
 * model decides which a caller gets; the storage service enforces it.
 */
public enum AccessLevel {
    READ,
    READ_WRITE
}
