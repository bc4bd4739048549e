package dev.floe.catalog.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs SQL work on a pooled connection, joining the transaction that {@link #inTransaction} opened
 * on this thread if there is one. Repositories use it so that the same method works alone (auto
 * commit) or as one step of a multi-row transaction, such as a commit across several tables.
 */
final class Jdbc {

    /** SQL work on one connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T withConnection(String operation, SqlWork<T> work) {
        Connection current = transaction.get();
        try {
            if (current != null) {
                return work.run(current);
            }
            try (Connection connection = connect(operation)) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /** A pooled connection; failing to get one means nothing of the operation ran. */
    private Connection connect(String operation) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreUnavailableException(
                    "metadata store: " + operation + " failed: no connection: " + sqlState(e), e);
        }
    }

    /** Whether {@link #inTransaction} is running on this thread. */
    boolean inTransactionOnThisThread() {
        return transaction.get() != null;
    }

    /**
     * Runs {@code work} in one database transaction: every repository call it makes on this thread
     * joins it; it commits when {@code work} returns and rolls back when it throws. Nested calls
     * join the outer transaction.
     */
    <T> T inTransaction(String operation, SqlWork<T> work) {
        if (transaction.get() != null) {
            return withConnection(operation, work);
        }
        try (Connection connection = connect(operation)) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            transaction.set(connection);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (RuntimeException | SQLException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                transaction.remove();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    /**
     * The store's exception for {@code e}: {@link StoreUnavailableException} when the database
     * refused the statement for a lock or busy timeout, which it then rolled back (a failed
     * statement in auto-commit, or a transaction that is rolled back here or by the database), so
     * nothing was applied; otherwise a {@link StoreException}, whose effect may be unknown.
     */
    private static StoreException failure(String operation, SQLException e) {
        String message = "metadata store: " + operation + " failed: " + sqlState(e);
        return isBusy(e) ? new StoreUnavailableException(message, e) : new StoreException(message, e);
    }

    /**
     * True for a lock or busy timeout: SQLite's SQLITE_BUSY / SQLITE_LOCKED (busy_timeout ran out),
     * PostgreSQL's lock_not_available (55P03), query_canceled (57014: statement_timeout),
     * serialization_failure (40001) and deadlock_detected (40P01).
     */
    static boolean isBusy(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.equals("55P03") || state.equals("57014") || state.equals("40001") || state.equals("40P01")) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED");
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static String sqlState(SQLException e) {
        return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode();
    }

    /** True when {@code e} reports a unique or primary key violation (both dialects). */
    static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        if ("23505".equals(state)) {
            return true; // PostgreSQL unique_violation
        }
        // sqlite-jdbc: SQLITE_CONSTRAINT_PRIMARYKEY (1555) / SQLITE_CONSTRAINT_UNIQUE (2067)
        String message = String.valueOf(e.getMessage());
        return message.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || message.contains("SQLITE_CONSTRAINT_UNIQUE");
    }

    /** True when {@code e} reports a foreign key violation (both dialects). */
    static boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState())
                || String.valueOf(e.getMessage()).contains("SQLITE_CONSTRAINT_FOREIGNKEY");
    }
}
