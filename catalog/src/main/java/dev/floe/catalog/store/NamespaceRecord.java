package dev.floe.catalog.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One namespace row, its properties already opened.
 *
 * @param levels     the namespace's levels, e.g. {@code [db, sales]}
 * @param properties the namespace properties
 * @param version    bumped on every properties update (compare-and-swap)
 */
public record NamespaceRecord(
        List<String> levels, Map<String, String> properties, long version, Instant createdAt, Instant updatedAt) {

    public NamespaceRecord {
        levels = List.copyOf(levels);
        properties = Map.copyOf(properties);
    }
}
