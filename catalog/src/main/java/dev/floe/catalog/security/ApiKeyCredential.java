package dev.floe.catalog.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A presented or freshly generated API key, {@code floe_<keyId>_<secret>}: the key id is a public
 * lookup handle, the secret is 256 random bits (base64url). {@link #toString()} never shows the
 * secret; only {@link #token()} does, for printing a new key exactly once.
 *
 * @param keyId  16 lower-case base32 characters
 * @param secret 43 base64url characters
 */
public record ApiKeyCredential(String keyId, String secret) {

    /** Prefix of every Floe API key; lets secret scanners recognise leaked keys. */
    public static final String PREFIX = "floe_";

    private static final Pattern KEY_ID = Pattern.compile("[a-z2-7]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /** A new key with a random id and a random 256-bit secret. */
    public static ApiKeyCredential generate() {
        StringBuilder id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(BASE32[RANDOM.nextInt(32)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        java.util.Arrays.fill(secret, (byte) 0);
        return new ApiKeyCredential(id.toString(), encoded);
    }

    /** Parses {@code floe_<keyId>_<secret>}; empty when the text is not a well-formed key. */
    public static Optional<ApiKeyCredential> parse(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 16 + 1 + 43) {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + 16);
        if (token.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        String secret = token.substring(PREFIX.length() + 17);
        return of(id, secret);
    }

    /** A credential from a separate id and secret (OAuth2 client id and client secret). */
    public static Optional<ApiKeyCredential> of(String keyId, String secret) {
        if (keyId == null
                || secret == null
                || !KEY_ID.matcher(keyId).matches()
                || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ApiKeyCredential(keyId, secret));
    }

    /** Whether {@code text} has the form of a key id (16 lower-case base32 characters). */
    public static boolean isKeyId(String text) {
        return text != null && KEY_ID.matcher(text).matches();
    }

    /** The full key to hand to its owner once. */
    public String token() {
        return PREFIX + keyId + "_" + secret;
    }

    @Override
    public String toString() {
        return "ApiKeyCredential[keyId=" + keyId + ", secret=<redacted>]";
    }
}
