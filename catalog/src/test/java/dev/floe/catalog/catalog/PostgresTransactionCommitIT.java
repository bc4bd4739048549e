package dev.floe.catalog.catalog;

import dev.floe.catalog.store.MetadataStore;
import dev.floe.catalog.testing.EmbeddedPostgresServer;
import dev.floe.catalog.testing.TestSealers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The multi-table transaction tests of {@link TransactionCommitIT} on a real PostgreSQL server. */
class PostgresTransactionCommitIT extends TransactionCommitIT {

    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Override
    protected MetadataStore openStore(Path dir) {
        return MetadataStore.open(postgres.newDatabase(), TestSealers.scrambling());
    }
}
