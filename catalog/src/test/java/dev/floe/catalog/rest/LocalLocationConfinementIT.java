package dev.floe.catalog.rest;

import dev.floe.catalog.server.FloeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link LocationConfinementContract} on a local-file warehouse: outside it is a sibling directory. */
class LocalLocationConfinementIT extends LocationConfinementContract {

    private static Path dir;
    private static FloeServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("floe-confinement");
        server = TestCatalogServers.startSqlite(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    @Override
    FloeServer server() {
        return server;
    }

    @Override
    String root() {
        // as the server normalised it: file:/…/warehouse
        return stripSlash(dir.resolve("warehouse").toUri().toString());
    }

    @Override
    String outside() {
        return stripSlash(dir.resolve("elsewhere").toUri().toString());
    }

    @Override
    boolean existsUnder(String location) {
        return Files.exists(Path.of(java.net.URI.create(location)));
    }

    @Override
    void write(String location, String content) throws Exception {
        Path file = Path.of(java.net.URI.create(location));
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
