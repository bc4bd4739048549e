package dev.floe.catalog.store;

import java.time.Instant;
import java.util.List;

/**
 * One table or view row, its sealed columns already opened.
 *
 * @param namespace                the namespace levels
 * @param name                     the table or view name
 * @param objectId                 a random id given at creation and kept across renames, so a
 *                                 table dropped and re-created under the same name is a different
 *                                 object for compare-and-swap even though versions restart at 1
 * @param kind                     table or view
 * @param metadataLocation         the current metadata file
 * @param previousMetadataLocation the metadata file it replaced, or null
 * @param version                  the compare-and-swap version, bumped by every commit
 */
public record CatalogObject(
        List<String> namespace,
        String name,
        String objectId,
        ObjectKind kind,
        String metadataLocation,
        String previousMetadataLocation,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public CatalogObject {
        namespace = List.copyOf(namespace);
    }

    @Override
    public String toString() {
        // metadata locations are sealed at rest: keep them out of logs too
        return "CatalogObject[" + kind.column() + " " + String.join(".", namespace) + "." + name + " v" + version + "]";
    }
}
