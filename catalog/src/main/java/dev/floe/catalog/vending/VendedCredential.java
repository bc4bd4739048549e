package dev.floe.catalog.vending;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Short-lived storage credentials for one storage prefix, as the Iceberg REST spec's
 * {@code StorageCredential} carries them: the prefix they are valid for and the FileIO properties
 * that hold them ({@code s3.access-key-id}, {@code s3.secret-access-key}, {@code s3.session-token},
 * {@code s3.session-token-expires-at-ms}). Held in memory only; {@link #toString()} names the prefix
 * and the expiry, never a key.
 *
 * @param prefix    storage location the credentials are valid under
 * @param config    FileIO properties carrying the credentials (secret)
 * @param expiresAt when the storage service stops accepting them
 */
public record VendedCredential(String prefix, Map<String, String> config, Instant expiresAt) {

    public VendedCredential {
        Objects.requireNonNull(prefix, "prefix");
        config = Map.copyOf(config);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "VendedCredential[prefix=" + prefix + ", expiresAt=" + expiresAt + ", config=(redacted)]";
    }
}
