package dev.floe.catalog.crypto;

import dev.floe.catalog.kms.SecretBytes;
import java.util.Objects;
import java.util.Optional;

/**
 * Envelope encryption of single column values: AES-256-GCM under the ring's active data key, a
 * fresh random 96-bit nonce per value, and associated data made of the value's header and its
 * {@link SealContext}, so a value only opens in the row and field it was sealed for. The layout is
 * {@link SealedValueFormat}; data keys come from the {@link DataKeyRing}.
 */
public final class EnvelopeFieldSealer implements FieldSealer {

    private final DataKeyRing ring;

    public EnvelopeFieldSealer(DataKeyRing ring) {
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    @Override
    public byte[] seal(byte[] plaintext, SealContext context) {
        Objects.requireNonNull(plaintext, "plaintext");
        try (DataKeyRing.ActiveKey active = ring.activeKey()) {
            byte[] header = SealedValueFormat.header(active.id());
            byte[] nonce = AesGcm.newNonce();
            byte[] body = AesGcm.encrypt(active.key(), nonce, plaintext, header, context.associatedData());
            return SealedValueFormat.assemble(header, nonce, body);
        }
    }

    @Override
    public byte[] open(byte[] sealed, SealContext context) {
        SealedValueFormat.Parsed parsed = SealedValueFormat.parse(sealed);
        return decrypt(parsed, ring.keyFor(parsed.dekId()), context);
    }

    @Override
    public Optional<byte[]> openWithoutWaiting(byte[] sealed, SealContext context) {
        SealedValueFormat.Parsed parsed = SealedValueFormat.parse(sealed);
        return ring.cachedKeyFor(parsed.dekId()).map(key -> decrypt(parsed, key, context));
    }

    /** Opens a parsed value with its data key, which is zeroised afterwards. */
    private static byte[] decrypt(SealedValueFormat.Parsed parsed, SecretBytes dataKey, SealContext context) {
        try (SecretBytes key = dataKey) {
            return AesGcm.decrypt(
                    key, parsed.nonce(), parsed.ciphertextAndTag(), parsed.header(), context.associatedData());
        }
    }

    public DataKeyRing ring() {
        return ring;
    }
}
