package dev.floe.catalog.crypto;

/**
 * A sealed value cannot be opened: it is malformed, was tampered with, was moved to another row or
 * field, or its data key was destroyed. The message describes which, never the contents.
 */
public class SealedValueException extends RuntimeException {
    public SealedValueException(String message) {
        super(message);
    }
}
