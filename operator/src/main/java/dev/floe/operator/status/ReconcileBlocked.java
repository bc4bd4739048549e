package dev.floe.operator.status;

/**
 * Thrown by a dependent that cannot go on until the user changes something: its reason becomes the
 * condition's reason and its message, written for the user (what is wrong, what to change), the
 * condition's message, as they are. The message must not carry secret values.
 */
public class ReconcileBlocked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ReconcileBlocked(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** CamelCase, as a condition reason. */
    public String reason() {
        return reason;
    }
}
