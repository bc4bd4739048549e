package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;

/**
 * Builds FloeCatalogs the way Iceberg's own catalog suites expect (their table-/view-default and
 * -override properties), over a given store.
 */
final class KitCatalogs {

    private KitCatalogs() {}

    /**
     * The warehouse location for {@code CatalogTests}: it creates tables at custom locations under a
     * hard-coded {@code file:/tmp} ({@code file:/tmp/ns/tbl}), and FloeCatalog refuses locations
     * outside its warehouse, so the warehouse is {@code /tmp} itself (those locations then lie under
     * their namespace's default location too).
     */
    static final Path TABLE_KIT_WAREHOUSE = Path.of("/tmp");

    /**
     * The warehouse location for {@code ViewCatalogTests}, with {@link #VIEW_KIT_PROPERTIES}: it
     * places views in a JUnit temporary directory, neither in a per-test warehouse nor under the
     * view's namespace, so the warehouse is the temporary directory and views may sit anywhere in it.
     */
    static final Path VIEW_KIT_WAREHOUSE = Path.of(System.getProperty("java.io.tmpdir"));

    static final Map<String, String> VIEW_KIT_PROPERTIES = Map.of(LocationPolicy.PLACEMENT_PROPERTY, "warehouse");

    static FloeCatalog create(
            MetadataStore store, String warehouse, Path location, String name, Map<String, String> additional) {
        Map<String, String> props = new HashMap<>();
        props.put(CatalogProperties.WAREHOUSE_LOCATION, location.toUri().toString());
        props.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key1", "catalog-default-key1");
        props.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key2", "catalog-default-key2");
        props.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "override-key3", "catalog-default-key3");
        props.put(CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key3", "catalog-override-key3");
        props.put(CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key4", "catalog-override-key4");
        props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key1", "catalog-default-key1");
        props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key2", "catalog-default-key2");
        props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key3", "catalog-default-key3");
        props.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key3", "catalog-override-key3");
        props.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key4", "catalog-override-key4");
        props.putAll(additional);
        FloeCatalog catalog = new FloeCatalog(store, warehouse);
        catalog.initialize(name, props);
        return catalog;
    }
}
