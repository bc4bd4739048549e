package dev.floe.catalog.store;

/**
 * A {@link StoreException} for an operation the database certainly did not apply because the store
 * is overloaded or out of reach: no pooled connection within the pool's timeout, or the database
 * refused the statement for a lock or busy timeout (and so rolled it back). Unlike a bare
 * {@link StoreException}, whose write may or may not have landed, the caller may answer "try again
 * later" (503) without any doubt about the state.
 */
public class StoreUnavailableException extends StoreException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
