package dev.floe.catalog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;

/** A real SQLite database file with the DEK-ring migration (V20) applied, for crypto tests. */
public final class SqliteDataKeyStores {

    private SqliteDataKeyStores() {}

    public static DataSource migrated(Path dir) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("catalog.db"));
        try (InputStream in = SqliteDataKeyStores.class.getResourceAsStream("/db/migration/sqlite/V20__data_keys.sql");
                Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String stmt : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank()) {
                    st.execute(stmt);
                }
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
        return ds;
    }
}
