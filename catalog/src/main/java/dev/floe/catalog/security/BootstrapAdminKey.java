package dev.floe.catalog.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the bootstrap admin key at start-up from the file named by
 * {@code FLOE_BOOTSTRAP_ADMIN_KEY_FILE} (or {@code floe.auth.bootstrap-admin-key-file}); the
 * operator mounts it from a Secret it creates once. Idempotent across restarts and replicas: the
 * key id is in the file, the first replica inserts it, the others find it. Only the key id is
 * logged.
 */
@Context
@Requires(beans = dev.floe.catalog.config.FloeConfig.class)
@Requires(beans = ApiKeyService.class)
public final class BootstrapAdminKey {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdminKey.class);

    public BootstrapAdminKey(SecuritySettings settings, ApiKeyService keys) {
        Path file = settings.bootstrapAdminKeyFile();
        if (file == null) {
            return;
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new IllegalStateException(
                    SecuritySettings.BOOTSTRAP_ENV + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        ApiKeyCredential credential = ApiKeyCredential.parse(content)
                .orElseThrow(() -> new IllegalStateException(SecuritySettings.BOOTSTRAP_ENV + ": " + file
                        + " does not hold a key of the form floe_<keyId>_<secret>"
                        + " (create one with: floe generate-key --offline)"));
        boolean created = keys.ensureBootstrapKey(credential, "bootstrap-admin");
        LOG.info("bootstrap admin key {} {}", credential.keyId(), created ? "installed" : "already present");
    }
}
