package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What survives a power loss on the embedded setup (SQLite store, local warehouse): the metadata
 * file of a commit is forced to disk with its directory before the table's pointer moves to it,
 * and SQLite syncs every committed transaction. The catalog runs with a local FileIO whose fsync
 * calls are recorded (and still performed).
 */
class PowerLossDurabilityIT {

    /** One recorded fsync: what was forced, how long the file was then, and where the pointer stood. */
    record Forced(String kind, Path path, long size, String pointer) {}

    static final List<Forced> FORCED = new CopyOnWriteArrayList<>();
    static volatile Function<Path, String> pointerNow = p -> null;

    /** The catalog's local FileIO with its fsyncs recorded; loaded by name through {@code io-impl}. */
    public static final class RecordingLocalFileIO extends LocalFileIO {
        public RecordingLocalFileIO() {
            super(new DurableLocalFiles.Fsync() {
                @Override
                public void file(Path path, FileChannel channel) throws IOException {
                    FORCED.add(new Forced("file", path.toAbsolutePath(), channel.size(), pointerNow.apply(path)));
                    DurableLocalFiles.Fsync.REAL.file(path, channel);
                }

                @Override
                public void directory(Path directory) throws IOException {
                    FORCED.add(new Forced("directory", directory.toAbsolutePath(), -1, null));
                    DurableLocalFiles.Fsync.REAL.directory(directory);
                }
            });
        }
    }

    private static final TableIdentifier ID = TableIdentifier.of("sales", "orders");

    @TempDir
    Path dir;

    private MetadataStore store;
    private FloeCatalog catalog;

    @BeforeEach
    void open() {
        store = MetadataStore.open(StorageUrl.sqliteIn(dir.resolve("db")), TestSealers.scrambling());
        catalog = new FloeCatalog(store, "wh");
        catalog.initialize(
                "floe",
                Map.of(
                        CatalogProperties.WAREHOUSE_LOCATION,
                        dir.resolve("warehouse").toUri().toString(),
                        CatalogProperties.FILE_IO_IMPL,
                        RecordingLocalFileIO.class.getName()));
        FORCED.clear();
    }

    @AfterEach
    void close() throws IOException {
        pointerNow = p -> null;
        catalog.close();
        store.close();
    }

    @Test
    void metadataFileAndItsDirectoryAreOnDiskBeforeThePointerMoves() throws IOException {
        catalog.createNamespace(Namespace.of("sales"));
        Table table = catalog.createTable(ID, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
        String before = catalog.currentMetadataLocation(ID).orElseThrow();
        Path created = LocalFileIO.toFile(before).toPath().toAbsolutePath();
        // a new table's directories are made durable in their parents too
        assertThat(FORCED).contains(new Forced("directory", created.getParent().getParent(), -1, null));

        FORCED.clear();
        pointerNow = p -> catalog.currentMetadataLocation(ID).orElse(null);
        table.updateProperties().set("owner", "finance").commit();
        String after = catalog.currentMetadataLocation(ID).orElseThrow();
        Path written = LocalFileIO.toFile(after).toPath().toAbsolutePath();

        assertThat(after).isNotEqualTo(before);
        assertThat(FORCED)
                .filteredOn(f -> f.kind().equals("file") && f.path().equals(written))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.size()).as("whole file forced").isEqualTo(Files.size(written));
                    assertThat(f.pointer())
                            .as("pointer when the file was forced")
                            .isEqualTo(before);
                });
        assertThat(FORCED).contains(new Forced("directory", written.getParent(), -1, null));
    }

    @Test
    void sqliteSyncsEveryCommit() throws Exception {
        try (Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            assertThat(rs.getInt(1)).as("PRAGMA synchronous (2 = FULL)").isEqualTo(2);
        }
        try (Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
