package dev.floe.catalog.vending;

/**
 * Obtains fresh credentials for one table location at one access level from the storage service's
 * token service (one remote call per invocation: callers cache, see {@link VendedCredentialCache}).
 */
public interface CredentialVendor {

    VendedCredential vend(String location, AccessLevel level);
}
