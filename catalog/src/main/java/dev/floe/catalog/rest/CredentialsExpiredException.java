package dev.floe.catalog.rest;

/**
 * The caller's credentials have timed out: the REST specification's 419, telling the client to
 * refresh its token and retry. Thrown by the authentication layer.
 */
public class CredentialsExpiredException extends RuntimeException {
    public CredentialsExpiredException(String message) {
        super(message);
    }
}
