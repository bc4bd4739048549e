package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.testing.TestSealers;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restart path that skips Flyway: it must know every shipped migration and trust only a complete history. */
class StoreMigrationsTest {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9.]+)__.*\\.sql");

    @Test
    void shippedVersionsAreExactlyTheExpandScriptsOfEveryDialect() throws Exception {
        for (Dialect dialect : Dialect.values()) {
            String folder = dialect.migrationLocation().substring("classpath:".length());
            assertThat(scriptVersions(folder)).as(folder).isEqualTo(StoreMigrations.SHIPPED_VERSIONS);
        }
    }

    @Test
    void aCurrentSqliteSchemaIsRecognisedAndReopensWithoutMigrating(@TempDir Path dir) throws SQLException {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            assertThat(StoreMigrations.allShippedApplied(store.dataSource())).isTrue();
        }
        try (MetadataStore reopened = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            assertThat(reopened.schemaVersion()).isEqualTo("35");
        }
    }

    @Test
    void aMissingOrFailedMigrationSendsTheStartBackToFlyway(@TempDir Path dir) throws SQLException {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            execute(store, "UPDATE flyway_schema_history SET success = 0 WHERE version = '30'");
            assertThat(StoreMigrations.allShippedApplied(store.dataSource()))
                    .as("a failed row")
                    .isFalse();
            execute(store, "DELETE FROM flyway_schema_history WHERE version = '30'");
            assertThat(StoreMigrations.allShippedApplied(store.dataSource()))
                    .as("a missing row")
                    .isFalse();
        }
    }

    @Test
    void aDatabaseWithoutHistoryIsNotCurrent(@TempDir Path dir) throws SQLException {
        try (MetadataStore store = MetadataStore.open(dir.toString(), TestSealers.identity())) {
            execute(store, "DROP TABLE flyway_schema_history");
            assertThat(StoreMigrations.allShippedApplied(store.dataSource())).isFalse();
        }
    }

    private static Set<String> scriptVersions(String folder) throws URISyntaxException, java.io.IOException {
        Path path = Path.of(
                StoreMigrationsTest.class.getClassLoader().getResource(folder).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .collect(Collectors.toSet());
        }
    }

    private static void execute(MetadataStore store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
