package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's FileIO wrapper on the real local file system: nothing outside its roots is touched. */
class ConfinedFileIOTest {

    @TempDir
    Path dir;

    private ConfinedFileIO io() {
        StorageLocation warehouse =
                StorageLocation.parse(dir.resolve("warehouse").toUri().toString());
        return new ConfinedFileIO(new LocalFileIO(), warehouse, warehouse);
    }

    @Test
    void refusesToReadWriteOrDeleteOutsideTheWarehouse() throws Exception {
        Path database = Files.writeString(dir.resolve("floe.db"), "database");
        String location = database.toUri().toString();
        try (ConfinedFileIO io = io()) {
            assertThatThrownBy(() -> io.newInputFile(location)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> io.newOutputFile(location)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> io.deleteFile(location)).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> io.deletePrefix(dir.toUri().toString())).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> io.deleteFile(dir.resolve("warehouse").toUri() + "/../floe.db"))
                    .isInstanceOf(ForbiddenException.class);
        }
        assertThat(database).hasContent("database");
    }

    @Test
    void aPurgeDeletesOnlyUnderTheTableLocationAndCountsTheRest() throws Exception {
        Path table = Files.createDirectories(dir.resolve("warehouse/ns/t"));
        Path own = Files.writeString(table.resolve("own.stats"), "x");
        Path neighbour = Files.writeString(
                Files.createDirectories(dir.resolve("warehouse/ns/u")).resolve("u.stats"), "y");
        try (ConfinedFileIO io = io()) {
            ConfinedFileIO purge =
                    io.forPurge(StorageLocation.parse(table.toUri().toString()));
            assertThatThrownBy(() -> purge.deleteFiles(
                            List.of(own.toUri().toString(), neighbour.toUri().toString())))
                    .isInstanceOf(BulkDeletionFailureException.class)
                    .satisfies(e -> assertThat(((BulkDeletionFailureException) e).numberFailedObjects())
                            .isEqualTo(1));
            // reading stays possible across the warehouse: manifests may be shared
            assertThat(purge.newInputFile(neighbour.toUri().toString()).exists())
                    .isTrue();
        }
        assertThat(own).doesNotExist();
        assertThat(neighbour).exists();
    }
}
