package dev.floe.catalog.kms;

/**
 * A KMS call failed for a reason retrying will not fix: the key does not exist or is disabled,
 * access is denied, or the wrapped key is not one this key can unwrap. Messages name the provider
 * and key, never key material.
 */
public class KmsException extends RuntimeException {
    public KmsException(String message) {
        super(message);
    }

    public KmsException(String message, Throwable cause) {
        super(message, cause);
    }
}
