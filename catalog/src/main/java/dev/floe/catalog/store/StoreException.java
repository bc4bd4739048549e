package dev.floe.catalog.store;

/**
 * A failure of the metadata store's database (connection lost, disk full, constraint the caller did
 * not expect). Messages name the operation, never a value of a sensitive column.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
