package dev.floe.catalog.catalog;

/**
 * The metadata location an operations object last read together with the row's object id and
 * version: a commit based on that location compare-and-swaps on exactly that (object id, version).
 */
record ObjectPointer(String metadataLocation, String objectId, long version) {}
