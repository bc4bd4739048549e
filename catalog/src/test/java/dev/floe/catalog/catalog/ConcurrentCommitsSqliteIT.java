package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.store.StorageUrl;
import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 8-thread concurrent-append scenario of {@link ConcurrentCommitsPostgresIT} on one SQLite
 * file opened by two stores (two pools), as WAL mode and busy_timeout must make safe.
 */
class ConcurrentCommitsSqliteIT {

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsFromTwoStoresOnOneSqliteFileLoseNoAcknowledgedCommit() throws Exception {
        StorageUrl url = StorageUrl.sqliteIn(dir.resolve("db"));
        try (MetadataStore storeA = MetadataStore.open(url, TestSealers.scrambling());
                MetadataStore storeB = MetadataStore.open(url, TestSealers.scrambling())) {
            ConcurrentCommitsPostgresIT.appendConcurrentlyAndCheckHistory(storeA, storeB, dir);
        }
    }
}
