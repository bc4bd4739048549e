package dev.floe.catalog.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens for keyset pagination: the base64url encoding of the last key returned, so
 * the next page is the indexed range {@code key > last}. A token that does not decode is the
 * caller's error (IllegalArgumentException, a 400 in the REST layer).
 */
public final class PageTokens {

    /** The page size used when the caller asks for none. */
    public static final int DEFAULT_PAGE_SIZE = 1000;

    private static final String PREFIX = "k1:";

    private PageTokens() {}

    static String encode(String lastKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key after which a page starts: "" for the first page (null or empty token). */
    static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through to the uniform message below
        }
        throw new IllegalArgumentException("Invalid page token");
    }

    static int pageSize(Integer requested) {
        if (requested == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (requested < 1) {
            throw new IllegalArgumentException("Invalid page size: " + requested + " (must be at least 1)");
        }
        return requested;
    }
}
