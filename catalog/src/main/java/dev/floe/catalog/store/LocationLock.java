package dev.floe.catalog.store;

import java.sql.PreparedStatement;

/**
 * The lock that makes claiming a storage location in one warehouse (creating or moving a table or
 * view, setting a namespace's location) one step with the overlap check before it, across every
 * catalog replica sharing the database. Without it two replicas could each check, find nothing in
 * the way, and both record overlapping locations.
 *
 * <p>PostgreSQL: a transaction-scoped advisory lock keyed by the warehouse, released by the commit
 * or rollback (so a crashed replica cannot leave it held), and under READ COMMITTED every statement
 * after it sees the rows the previous holder committed. SQLite: nothing more to take, since the
 * store begins every transaction {@code IMMEDIATE}, which holds the database's single write lock
 * from its first statement to its end.
 */
final class LocationLock {

    /** The first key of Floe's advisory locks, so they cannot collide with another application's. */
    private static final int LOCK_CLASS = 0x466c6f65; // "Floe"

    private final Jdbc jdbc;
    private final Dialect dialect;

    LocationLock(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /**
     * Takes the warehouse's location lock for the rest of the current transaction, waiting while
     * another transaction holds it.
     *
     * @throws IllegalStateException outside a transaction (the lock would be released at once)
     */
    void acquire(String warehouse) {
        if (!jdbc.inTransactionOnThisThread()) {
            throw new IllegalStateException("the location lock is only held inside a store transaction");
        }
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        jdbc.withConnection("lock warehouse locations", c -> {
            // String.hashCode is specified, so every replica derives the same key; two warehouses
            // sharing one only wait for each other
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, warehouse.hashCode());
                ps.execute();
            }
            return null;
        });
    }
}
