package dev.floe.catalog.store;

import dev.floe.catalog.crypto.FieldSealer;
import dev.floe.catalog.crypto.SealContext;
import java.nio.charset.StandardCharsets;

/**
 * Seals and opens text columns through the {@link FieldSealer}, with the {@link SealContext} of the
 * row and column they belong to, so every repository binds its ciphertexts the same way.
 */
final class Sealing {

    private final FieldSealer sealer;

    Sealing(FieldSealer sealer) {
        this.sealer = sealer;
    }

    byte[] seal(String plaintext, SealContext context) {
        if (plaintext == null) {
            return null;
        }
        return sealer.seal(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    String open(byte[] sealed, SealContext context) {
        if (sealed == null) {
            return null;
        }
        return new String(sealer.open(sealed, context), StandardCharsets.UTF_8);
    }
}
