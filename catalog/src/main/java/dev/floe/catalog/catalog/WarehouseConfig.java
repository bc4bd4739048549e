package dev.floe.catalog.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * One warehouse the server serves: its name (the REST prefix), the location new tables go under
 * (e.g. {@code file:///var/lib/floe/warehouse} or {@code s3://bucket/prefix}) and extra Iceberg
 * catalog properties for it ({@code io-impl}, {@code s3.endpoint}, {@code table-default.*}, …).
 */
public record WarehouseConfig(String name, String location, Map<String, String> properties) {

    public WarehouseConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("warehouse name: empty");
        }
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new IllegalArgumentException("warehouse " + name + ": empty location");
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public WarehouseConfig(String name, String location) {
        this(name, location, Map.of());
    }
}
