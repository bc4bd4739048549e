package dev.floe.catalog.store;

/**
 * The current metadata pointer of one table or view, read without its history: what a load or a
 * commit's compare-and-swap needs, and nothing more (the previous location is not opened).
 *
 * @param objectId         the object's random id (see {@link CatalogObject#objectId()})
 * @param version          the compare-and-swap version, bumped by every commit
 * @param metadataLocation the current metadata file (opened from its sealed column)
 */
public record CurrentPointer(String objectId, long version, String metadataLocation) {

    @Override
    public String toString() {
        // metadata locations are sealed at rest: keep them out of logs too
        return "CurrentPointer[" + objectId + " v" + version + "]";
    }
}
