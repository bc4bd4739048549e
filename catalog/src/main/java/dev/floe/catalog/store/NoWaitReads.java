package dev.floe.catalog.store;

import dev.floe.catalog.crypto.FieldSealer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Read-only connections to an embedded SQLite database, one per calling thread, for reads that
 * must never wait: a thread that may not block (a Netty event loop serving a table load) gets its
 * own connection instead of queueing for a pooled one, and the connection has
 * {@code busy_timeout = 0}, so where SQLite would make a reader wait for a lock it answers
 * {@code SQLITE_BUSY} at once. In WAL mode a reader never waits for the writer, so in practice
 * that only happens while another connection holds the database in exclusive locking mode.
 * Nothing is cached: every read sees the last commit of every connection and process. A sealed
 * column is opened only if that needs no call out of the process ({@link
 * FieldSealer#openWithoutWaiting}).
 *
 * <p>Callers treat an empty result as "not answerable now" and take the pooled path, which may
 * wait. The number of connections is bounded; threads past the bound always get empty.
 */
final class NoWaitReads implements AutoCloseable {

    /** More than the event-loop threads of any server; a bound, not a pool size. */
    static final int MAX_CONNECTIONS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(NoWaitReads.class);

    /** One thread's connection and its prepared statements (a prepare costs more than the read). */
    static final class ThreadConnection {
        private final Connection connection;
        private PreparedStatement pointerSelect;

        private ThreadConnection(Connection connection) {
            this.connection = connection;
        }

        /** The connection itself (tests look at its settings). */
        Connection connection() {
            return connection;
        }

        PreparedStatement pointerSelect() throws SQLException {
            if (pointerSelect == null) {
                pointerSelect = connection.prepareStatement(CatalogObjectRepository.POINTER_SELECT);
            }
            return pointerSelect;
        }
    }

    private final String jdbcUrl;
    private final FieldSealer sealer;
    private final ThreadLocal<ThreadConnection> connections = new ThreadLocal<>();
    private final Queue<ThreadConnection> opened = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    private NoWaitReads(String jdbcUrl, FieldSealer sealer) {
        this.jdbcUrl = jdbcUrl;
        this.sealer = sealer;
    }

    /**
     * No-wait reads for a store URL when it names an SQLite database file; empty for PostgreSQL
     * (every read is a network round trip) and for in-memory SQLite (a second connection would
     * see another database).
     */
    static Optional<NoWaitReads> forStore(StorageUrl url, FieldSealer sealer) {
        if (url.dialect() != Dialect.SQLITE) {
            return Optional.empty();
        }
        String file = url.jdbcUrl().substring("jdbc:sqlite:".length());
        if (file.isEmpty() || file.contains(":memory:") || file.contains("mode=memory")) {
            return Optional.empty();
        }
        return Optional.of(new NoWaitReads(url.jdbcUrl(), sealer));
    }

    /** See {@link MetadataStore#findPointerWithoutWaiting}. */
    Optional<CurrentPointer> findPointer(String warehouse, List<String> namespace, String name, ObjectKind kind) {
        Optional<ThreadConnection> connection = connection();
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        try {
            return CatalogObjectRepository.readPointer(
                    connection.get().pointerSelect(),
                    warehouse,
                    Keys.namespaceKey(namespace),
                    name,
                    kind,
                    (column, context) -> sealer.openWithoutWaiting(column, context)
                            .map(bytes -> new String(bytes, StandardCharsets.UTF_8)));
        } catch (SQLException | RuntimeException e) {
            // SQLITE_BUSY or anything else: this path only ever answers what it can answer at once
            discard(connection.get());
            return Optional.empty();
        }
    }

    /** The calling thread's connection, opened on first use; empty past the bound or after close. */
    Optional<ThreadConnection> connection() {
        ThreadConnection existing = connections.get();
        if (existing != null || closed) {
            return Optional.ofNullable(closed ? null : existing);
        }
        if (count.incrementAndGet() > MAX_CONNECTIONS) {
            count.decrementAndGet();
            return Optional.empty();
        }
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(0);
            ThreadConnection opening = new ThreadConnection(config.createConnection(jdbcUrl));
            connections.set(opening);
            opened.add(opening);
            if (closed) { // closed while opening: do not leak it
                closeQuietly(opening);
                return Optional.empty();
            }
            return Optional.of(opening);
        } catch (SQLException e) {
            count.decrementAndGet();
            LOG.debug(
                    "No read-only SQLite connection for {}: {}",
                    Thread.currentThread().getName(),
                    e.toString());
            return Optional.empty();
        }
    }

    /** Drops the calling thread's connection after an error, so the next read opens a fresh one. */
    void discard(ThreadConnection connection) {
        connections.remove();
        if (opened.remove(connection)) {
            count.decrementAndGet();
        }
        closeQuietly(connection);
    }

    @Override
    public void close() {
        closed = true;
        ThreadConnection next;
        while ((next = opened.poll()) != null) {
            closeQuietly(next);
        }
    }

    private static void closeQuietly(ThreadConnection connection) {
        try {
            connection.connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a read-only SQLite connection failed: {}", e.toString());
        }
    }
}
