package dev.floe.catalog.config;

import java.util.Map;

/**
 * The warehouses this catalog serves. Each name is a URL prefix ({@code /v1/{name}/…}) and the
 * value of a client's {@code warehouse} setting; the default one also answers un-prefixed paths.
 *
 * @param defaultName name of the default warehouse
 * @param locations   name → base location of table files (includes the default)
 */
public record WarehouseSettings(String defaultName, Map<String, String> locations) {

    public WarehouseSettings {
        locations = Map.copyOf(locations);
    }

    public String defaultLocation() {
        return locations.get(defaultName);
    }
}
