package dev.floe.catalog.server;

import dev.floe.catalog.config.ConfigException;
import dev.floe.catalog.config.FloeConfig;
import dev.floe.catalog.crypto.DataKeyCache;
import dev.floe.catalog.crypto.DataKeyRing;
import dev.floe.catalog.crypto.EnvelopeFieldSealer;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.local.LocalKeyProvider;
import dev.floe.catalog.store.DataKeyRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the envelope-encryption sealer the metadata store uses, from the {@code [kms]} settings.
 * In {@code --dev} mode without a master key in the environment, a development key-ring file is
 * created once (mode 0600) beside the data and reused on later starts.
 */
final class Sealers {

    private static final Logger LOG = LoggerFactory.getLogger(Sealers.class);
    static final String DEV_KEY_RING = "dev-master-key.ring";

    private Sealers() {}

    static KeyProvider keyProvider(FloeConfig config, Map<String, String> env, Path devKeyDir) {
        String provider = config.kms().provider();
        if (!provider.equals("local")) {
            throw new ConfigException("kms.provider: '" + provider
                    + "' is not available in this build yet; accepted here: local");
        }
        String envVar = config.kms().keyEnvVar();
        if (env.get(envVar) != null || !config.dev()) {
            try {
                return LocalKeyProvider.fromEnvironment(envVar, env);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return LocalKeyProvider.fromKeyRingFile(devKeyRing(devKeyDir));
    }

    static EnvelopeFieldSealer sealer(DataSource dataSource, KeyProvider provider) {
        DataKeyRing ring = new DataKeyRing(new DataKeyRepository(dataSource), provider,
                new DataKeyCache(1024, Duration.ofMinutes(15)), Clock.systemUTC(), Duration.ofSeconds(30));
        // Create (or load) the active data key now, outside any store transaction: on SQLite the
        // first seal happens inside a write transaction, where writing the new key would deadlock.
        ring.activeKey().close();
        return new EnvelopeFieldSealer(ring);
    }

    private static Path devKeyRing(Path dir) {
        Path file = dir.resolve(DEV_KEY_RING);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dir);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, "1:" + Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                LOG.warn("--dev: created a development master key in {} (not for production)", file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development key ring " + file, e);
        }
    }
}
