package dev.floe.catalog.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a sealed value lives: the associated data that binds a ciphertext to one field of one row,
 * so that a ciphertext copied into another row or column fails to open.
 *
 * @param warehouse  the warehouse (catalog prefix) the row belongs to
 * @param entityKind what the row is, e.g. {@code namespace}, {@code table}, {@code view}, {@code api-key}
 * @param entityId   the row's stable identity within its kind, e.g. {@code db.sales\u001forders}
 * @param field      the column, e.g. {@code metadata_location}
 */
public record SealContext(String warehouse, String entityKind, String entityId, String field) {

    public SealContext {
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(entityKind, "entityKind");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(field, "field");
    }

    /** The associated data: each part length-prefixed so that no two contexts encode alike. */
    public byte[] associatedData() {
        StringBuilder out = new StringBuilder("floe-aad-v1");
        for (String part : new String[] {warehouse, entityKind, entityId, field}) {
            out.append('|').append(part.length()).append(':').append(part);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
