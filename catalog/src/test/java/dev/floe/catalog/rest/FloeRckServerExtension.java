package dev.floe.catalog.rest;

import dev.floe.catalog.config.ConfigKey;
import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.server.FloeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts our catalog for a class of the Iceberg REST Compatibility Kit and points the kit's client
 * at it: the kit reads its catalog properties ({@code uri}, {@code warehouse}, {@code rck.*}) from
 * system properties, and skips its own reference server when {@code rck.local=false}.
 */
public class FloeRckServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Function<Path, FloeServer> starter;
    private FloeServer server;
    private Path dir;

    public FloeRckServerExtension(Function<Path, FloeServer> starter) {
        this.starter = starter;
    }

    /**
     * The server settings the kit's table tests need: {@code CatalogTests} creates tables at custom
     * locations under a hard-coded {@code file:/tmp} ({@code file:/tmp/ns/tbl},
     * {@code file:/tmp/newdb/newtable}), and the catalog refuses any location outside the warehouse.
     * So this server's warehouse is {@code file:/tmp} itself; those locations then also lie under
     * their namespace's default location ({@code file:/tmp/ns}), so the default placement holds.
     */
    public static final Map<ConfigKey, String> TABLE_KIT_SETTINGS = Map.of(ConfigKeys.WAREHOUSE_LOCATION, "file:/tmp");

    /**
     * The server settings the kit's view tests need: {@code ViewCatalogTests} places views in a JUnit
     * temporary directory ({@code <java.io.tmpdir>/junit-…/ns/view}), which is neither inside this
     * server's default warehouse nor under the view's namespace. So the warehouse is the temporary
     * directory and {@code table_locations = "warehouse"} lets a view sit anywhere inside it; the
     * overlap rules still apply.
     */
    public static final Map<ConfigKey, String> VIEW_KIT_SETTINGS = Map.of(
            ConfigKeys.WAREHOUSE_LOCATION,
            Path.of(System.getProperty("java.io.tmpdir")).toUri().toString(),
            ConfigKeys.WAREHOUSE_TABLE_LOCATIONS,
            "warehouse");

    /** Settings the kit reads; set before any kit class initialises its client. */
    public static void configureKit() {
        System.setProperty("rck.local", "false");
        System.setProperty("rck.requires-namespace-create", "true");
        // capabilities the server really has: it retries commits on the server side and accepts dots
        System.setProperty("rck.supports-serverside-retry", "true");
        System.setProperty("rck.supports-names-with-dot", "true");
        System.setProperty("warehouse", "default");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        configureKit();
        dir = Files.createTempDirectory("floe-rck");
        server = starter.apply(dir);
        System.setProperty("uri", server.uri().toString());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
        System.clearProperty("uri");
        TestFiles.deleteRecursively(dir);
    }
}
