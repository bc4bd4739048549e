package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.config.StorageSettings;
import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata store on a real PostgreSQL, with its user name and password read from files the way
 * the operator passes its credentials Secret ({@code [storage] username_file}/{@code password_file}),
 * and no credentials in the URL or the environment: the store's migrations run as that user.
 */
class PostgresCredentialFilesIT {

    @TempDir
    Path dir;

    @Test
    void theStoreOpensAsTheUserNamedInTheMountedCredentialFiles() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
            URI admin = URI.create(postgres.newDatabase());
            String role = "floe_" + UUID.randomUUID().toString().substring(0, 8);
            String password = UUID.randomUUID().toString();
            String database = admin.getPath().substring(1);
            String jdbc = "jdbc:postgresql://" + admin.getHost() + ":" + admin.getPort() + "/" + database;
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
                s.execute("ALTER DATABASE " + database + " OWNER TO " + role);
                s.execute("ALTER SCHEMA public OWNER TO " + role);
            }
            Path user = Files.writeString(dir.resolve("username"), role + "\n");
            Path secret = Files.writeString(dir.resolve("password"), password + "\n");

            StorageUrl url = CatalogBackends.storageUrl(
                    new StorageSettings(
                            "postgresql://" + admin.getHost() + ":" + admin.getPort() + "/" + database,
                            user.toString(),
                            secret.toString()),
                    Map.of());
            try (MetadataStore store = MetadataStore.open(url, TestSealers.scrambling())) {
                assertThat(store.namespaces()).isNotNull();
            }
            // The migrations ran as the role from the file: it owns the store's tables.
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                    Statement s = c.createStatement();
                    ResultSet r =
                            s.executeQuery("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")) {
                assertThat(r.next()).as("the store created tables").isTrue();
                assertThat(r.getString(1)).isEqualTo(role);
                assertThat(r.next()).isFalse();
            }
        }
    }
}
