package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageUrlTest {

    @Test
    void fileUrlAndPlainPathPutTheSqliteDatabaseInTheDirectory() {
        assertThat(StorageUrl.parse("file:///var/lib/floe"))
                .isEqualTo(new StorageUrl(Dialect.SQLITE, "jdbc:sqlite:/var/lib/floe/floe.db", null, null));
        assertThat(StorageUrl.parse("/var/lib/floe/").jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/floe/floe.db");
        assertThat(StorageUrl.parse("data").jdbcUrl())
                .isEqualTo("jdbc:sqlite:" + Path.of("data").toAbsolutePath().resolve("floe.db"));
    }

    @Test
    void postgresqlUrlMovesCredentialsOutOfTheJdbcUrl() {
        StorageUrl url = StorageUrl.parse("postgresql://floe:p%40ss:w0rd@db.example:5433/catalog?sslmode=require");

        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/catalog?sslmode=require");
        assertThat(url.user()).isEqualTo("floe");
        assertThat(url.password()).isEqualTo("p@ss:w0rd");
    }

    @Test
    void postgresqlCredentialsComeFromTheEnvironmentWhenTheUrlHasNone() {
        Map<String, String> env = Map.of(StorageUrl.USER_ENV, "catalog", StorageUrl.PASSWORD_ENV, "from-secret");

        StorageUrl fromEnv =
                StorageUrl.parse("postgresql://db.example:5432/floe").withCredentialsFrom(env);
        assertThat(fromEnv.user()).isEqualTo("catalog");
        assertThat(fromEnv.password()).isEqualTo("from-secret");
        assertThat(fromEnv.toString()).doesNotContain("from-secret");

        StorageUrl urlWins =
                StorageUrl.parse("postgresql://owner:own@db.example/floe").withCredentialsFrom(env);
        assertThat(urlWins.user()).isEqualTo("owner");
        assertThat(urlWins.password()).isEqualTo("own");

        StorageUrl sqlite = StorageUrl.parse("file:///var/lib/floe");
        assertThat(sqlite.withCredentialsFrom(env)).isEqualTo(sqlite);
        assertThat(StorageUrl.parse("postgresql://db/floe")
                        .withCredentialsFrom(Map.of())
                        .user())
                .isNull();
    }

    @Test
    void jdbcPostgresqlUrlIsTakenAsIs() {
        StorageUrl url = StorageUrl.parse("jdbc:postgresql://127.0.0.1/floe?user=u&password=secret");
        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/floe?user=u&password=secret");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(StorageUrl.parse("postgresql://floe:hunter2@db/catalog").toString())
                .doesNotContain("hunter2")
                .contains("password=***");
        assertThat(StorageUrl.parse("jdbc:postgresql://db/floe?user=u&password=hunter2")
                        .toString())
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> StorageUrl.parse("mysql://u:hunter2@db/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported scheme")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StorageUrl.parse("postgresql://u:hunter2@/x")).hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsARelativeFileUrlNamingTheSetting() {
        assertThatThrownBy(() -> StorageUrl.parse("file:relative/dir"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage:");
    }

    @Test
    void rejectsAnEmptyValue() {
        assertThatThrownBy(() -> StorageUrl.parse(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage");
    }
}
