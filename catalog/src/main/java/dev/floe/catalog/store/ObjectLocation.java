package dev.floe.catalog.store;

import java.util.List;

/**
 * Where one table or view lives, as the store records it.
 *
 * @param namespace        the namespace levels
 * @param name             the table or view name
 * @param kind             table or view
 * @param location         its own location, or null on a row written before locations were recorded
 * @param metadataLocation its current metadata file (from which a missing location can be read)
 */
public record ObjectLocation(
        List<String> namespace, String name, ObjectKind kind, String location, String metadataLocation) {

    public ObjectLocation {
        namespace = List.copyOf(namespace);
    }

    @Override
    public String toString() {
        // locations are sealed at rest: keep them out of logs too
        return "ObjectLocation[" + kind.column() + " " + String.join(".", namespace) + "." + name + "]";
    }
}
