package dev.floe.catalog.catalog;

import java.util.Map;

/**
 * A namespace's properties before and after one update, from which the REST layer reports which
 * keys were updated, removed or missing.
 */
public record NamespacePropertiesChange(Map<String, String> before, Map<String, String> after) {

    public NamespacePropertiesChange {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
    }
}
