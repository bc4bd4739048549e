package dev.floe.catalog.rest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an {@code Idempotency-Key} is bound to: a SHA-256 over the caller, the warehouse, the method,
 * the path with its query and a hash of the body. A key replays only for a request with the same
 * fingerprint, so a second caller (or the same caller sending something else) who reuses a key
 * never receives the first response and never has its own request silently dropped.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {}

    /** The fingerprint of {@code request}, sent by {@code caller} to {@code warehouse} with {@code body}. */
    public static String of(HttpRequest<?> request, String caller, String warehouse, @Nullable String body) {
        String query = request.getUri().getRawQuery();
        String target = request.getUri().getRawPath() + (query == null ? "" : "?" + query);
        MessageDigest digest = sha256();
        // each field is length-prefixed, so no two different field lists hash the same input
        for (String field : new String[] {caller, warehouse, request.getMethodName(), target, sha256Hex(body)}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Hex SHA-256 of a text's UTF-8 bytes (of the empty text when null). */
    public static String sha256Hex(@Nullable String text) {
        return HexFormat.of().formatHex(sha256().digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
