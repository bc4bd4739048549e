package dev.floe.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.floe.catalog.crypto.FieldSealer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's metadata store: a pooled JDBC database (SQLite file in WAL mode, or PostgreSQL),
 * migrated by Flyway on open behind the compatibility gate ({@link StoreMigrations}), with one
 * repository per table. Every sensitive column passes through the {@link FieldSealer} given here.
 * Open one per process with {@link #open(String, FieldSealer)} and close it on shutdown.
 */
public final class MetadataStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

    /**
     * Connections of the sealer's pool: its queries are single statements that never wait on
     * another connection, and the data-key ring refreshes the active key one thread at a time.
     */
    private static final int KEY_POOL_SIZE = 2;

    private final StorageUrl url;
    private final HikariDataSource dataSource;
    /** The sealer's own pool (data keys, rotation), kept apart from {@link #dataSource}: see {@link #open(StorageUrl, Function)}. */
    private final HikariDataSource keyDataSource;

    private final Jdbc jdbc;
    private final NamespaceRepository namespaces;
    private final CatalogObjectRepository objects;
    private final IdempotencyRepository idempotency;
    private final Optional<NoWaitReads> noWaitReads;
    private final LocationLock locationLock;

    private MetadataStore(
            StorageUrl url,
            HikariDataSource dataSource,
            HikariDataSource keyDataSource,
            FieldSealer sealer,
            Clock clock) {
        this.url = url;
        this.dataSource = dataSource;
        this.keyDataSource = keyDataSource;
        this.jdbc = new Jdbc(dataSource);
        Sealing sealing = new Sealing(Objects.requireNonNull(sealer, "sealer"));
        this.namespaces = new NamespaceRepository(jdbc, sealing, clock);
        this.noWaitReads = NoWaitReads.forStore(url, sealer);
        this.objects = new CatalogObjectRepository(jdbc, sealing, clock);
        this.idempotency = new IdempotencyRepository(jdbc, sealing);
        this.locationLock = new LocationLock(jdbc, url.dialect());
    }

    /** Opens (creating and migrating if needed) the store a {@code --storage} value names. */
    public static MetadataStore open(String storage, FieldSealer sealer) {
        return open(StorageUrl.parse(storage), sealer);
    }

    /** Opens (creating and migrating if needed) the store at {@code url}. */
    public static MetadataStore open(StorageUrl url, FieldSealer sealer) {
        return open(url, sealer, defaultPoolSize(url.dialect()), Clock.systemUTC());
    }

    /**
     * Opens the store with an explicit connection pool size and clock.
     *
     * @param maxPoolSize the most connections held; SQLite serialises writers anyway, so a few suffice
     */
    public static MetadataStore open(StorageUrl url, FieldSealer sealer, int maxPoolSize, Clock clock) {
        return open(url, dataSource -> sealer, maxPoolSize, clock);
    }

    /**
     * Opens the store when the sealer itself needs the database (its data-key ring lives in the
     * same database): {@code sealerFactory} gets a data source on the migrated database before any
     * repository is used. That data source is a second small pool of its own: a repository seals and
     * opens while it holds a connection of the main pool, and sealing may read a data key; from the
     * main pool that read would wait for a connection that its own callers hold once they are as
     * many as the pool (a deadlock until the pool's 30 s timeout, seen as HTTP 500 on commits).
     */
    public static MetadataStore open(StorageUrl url, Function<DataSource, FieldSealer> sealerFactory) {
        return open(url, sealerFactory, defaultPoolSize(url.dialect()), Clock.systemUTC());
    }

    /** {@link #open(StorageUrl, Function)} with an explicit pool size and clock. */
    public static MetadataStore open(
            StorageUrl url, Function<DataSource, FieldSealer> sealerFactory, int maxPoolSize, Clock clock) {
        HikariDataSource dataSource = new HikariDataSource(hikariConfig(url, "floe-store", maxPoolSize));
        HikariDataSource keyDataSource = null;
        try {
            StoreMigrations.migrateForServing(url, dataSource);
            keyDataSource = new HikariDataSource(hikariConfig(url, "floe-store-keys", KEY_POOL_SIZE));
            FieldSealer sealer = sealerFactory.apply(keyDataSource);
            LOG.info("Metadata store open: {}", url);
            return new MetadataStore(url, dataSource, keyDataSource, sealer, clock);
        } catch (RuntimeException e) {
            if (keyDataSource != null) {
                keyDataSource.close();
            }
            dataSource.close();
            throw e;
        }
    }

    private static int defaultPoolSize(Dialect dialect) {
        return dialect == Dialect.SQLITE ? 4 : 10;
    }

    private static HikariConfig hikariConfig(StorageUrl url, String poolName, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url.jdbcUrl());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        if (url.dialect() == Dialect.SQLITE) {
            createParentDirectory(url);
            // WAL lets readers run beside the single writer; IMMEDIATE transactions take the write
            // lock at BEGIN so two read-then-write transactions wait (busy_timeout) instead of
            // failing with SQLITE_BUSY on lock upgrade. synchronous=FULL syncs the WAL at every
            // commit: a commit the catalog acknowledged survives a power loss (NORMAL may roll the
            // last ones back), for one fsync per commit, which the metadata file write pays anyway.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        }
        return config;
    }

    private static void createParentDirectory(StorageUrl url) {
        String file = url.jdbcUrl().substring("jdbc:sqlite:".length());
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("metadata store: cannot create directory " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code floe migrate}: applies every pending migration of the store at {@code url}, contract
     * migrations included, and returns the versions applied. Run it once no catalog older than this
     * one serves on the store; it refuses a schema newer than this catalog accepts.
     */
    public static List<String> migrateAll(StorageUrl url) {
        try (HikariDataSource dataSource = new HikariDataSource(hikariConfig(url, "floe-store", 2))) {
            return StoreMigrations.migrateAll(url, dataSource);
        }
    }

    public Dialect dialect() {
        return url.dialect();
    }

    public NamespaceRepository namespaces() {
        return namespaces;
    }

    public CatalogObjectRepository objects() {
        return objects;
    }

    public IdempotencyRepository idempotency() {
        return idempotency;
    }

    /**
     * The pooled data source, for other store-layer repositories (API keys) that live in the same
     * database. Do not close it.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one database transaction: every repository call it makes on this thread
     * joins it. It commits when {@code work} returns and rolls back when it throws.
     */
    public <T> T inTransaction(String operation, Supplier<T> work) {
        return jdbc.inTransaction(operation, connection -> work.get());
    }

    /**
     * Runs {@code work} as {@link #inTransaction} does, holding the warehouse's location lock from
     * the start: of all replicas sharing this database, one at a time checks and records locations
     * in that warehouse, so an overlap check made inside {@code work} stays true until it commits.
     */
    public <T> T withLocationsLocked(String warehouse, String operation, Supplier<T> work) {
        return inTransaction(operation, () -> {
            locationLock.acquire(warehouse);
            return work.get();
        });
    }

    /** Counts for one warehouse plus the applied schema version. */
    public StoreStatistics statistics(String warehouse) {
        return new StoreStatistics(
                namespaces.count(warehouse),
                objects.count(warehouse, ObjectKind.TABLE),
                objects.count(warehouse, ObjectKind.VIEW),
                schemaVersion());
    }

    /** The highest applied Flyway migration version. */
    public String schemaVersion() {
        return StoreMigrations.currentVersion(url, dataSource);
    }

    /**
     * The current pointer of a table or view for a thread that must not wait (a Netty event loop):
     * the read of {@link CatalogObjectRepository#findPointer} on the thread's own read-only
     * connection, which never waits for a lock or a pooled connection, opened only if its data key
     * is cached ({@link NoWaitReads}). Empty when it cannot be answered at once: PostgreSQL or
     * in-memory SQLite, SQLite busy, a key not cached, any error, and no such object; the caller
     * then takes {@code findPointer} on a thread that may wait, which answers all of those
     * properly. Nothing is cached, so a commit by any connection or process is seen at once.
     */
    public Optional<CurrentPointer> findPointerWithoutWaiting(
            String warehouse, List<String> namespace, String name, ObjectKind kind) {
        return noWaitReads.flatMap(reads -> reads.findPointer(warehouse, namespace, name, kind));
    }

    /** The store's no-wait reads, if it has them (tests break their connections on purpose). */
    Optional<NoWaitReads> noWaitReadsForTests() {
        return noWaitReads;
    }

    @Override
    public void close() {
        noWaitReads.ifPresent(NoWaitReads::close);
        dataSource.close();
        keyDataSource.close();
    }

    @Override
    public String toString() {
        return "MetadataStore[" + url + "]";
    }
}
