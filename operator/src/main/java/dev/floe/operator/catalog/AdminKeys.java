package dev.floe.operator.catalog;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Generates bootstrap admin API keys in the catalog's format {@code floe_<keyId>_<secret>}
 * (the catalog's {@code ApiKeyCredential}): a key id of 16 lower-case base32 characters (80 bits)
 * and a 256-bit secret as 43 base64url characters. The catalog splits at fixed positions, so an
 * underscore inside the base64url secret is fine; any other shape makes the catalog refuse to start.
 */
public final class AdminKeys {
    public static final Pattern FORMAT = Pattern.compile("^floe_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminKeys() {}

    public static String generate() {
        StringBuilder key = new StringBuilder("floe_");
        for (int i = 0; i < 16; i++) {
            key.append(BASE32[RANDOM.nextInt(BASE32.length)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        key.append('_').append(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        java.util.Arrays.fill(secret, (byte) 0);
        return key.toString();
    }
}
