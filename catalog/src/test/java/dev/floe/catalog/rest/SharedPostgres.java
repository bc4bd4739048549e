package dev.floe.catalog.rest;

import dev.floe.catalog.testing.EmbeddedPostgresServer;

/** One embedded PostgreSQL (real server binaries) per test JVM, stopped when the JVM exits. */
final class SharedPostgres {

    private static EmbeddedPostgresServer server;

    private SharedPostgres() {}

    static synchronized EmbeddedPostgresServer get() {
        if (server == null) {
            server = EmbeddedPostgresServer.start();
            EmbeddedPostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
        }
        return server;
    }
}
