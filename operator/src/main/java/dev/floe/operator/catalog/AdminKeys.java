package dev.floe.operator.catalog;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Generates bootstrap admin API keys in the catalog's format {@code floe_<keyId>_<secret>}: a
 * 64-bit key id and a 256-bit secret, both lower-case hex (hex, because base64url contains the
 * underscore that separates the parts).
 */
public final class AdminKeys {
    public static final Pattern FORMAT = Pattern.compile("^floe_[0-9a-f]{16}_[0-9a-f]{64}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminKeys() {
    }

    public static String generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        HexFormat hex = HexFormat.of();
        return "floe_" + hex.formatHex(id) + "_" + hex.formatHex(secret);
    }
}
