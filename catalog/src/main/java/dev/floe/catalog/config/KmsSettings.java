package dev.floe.catalog.config;

/**
 * The {@code [kms]} table, held as parsed; the crypto layer turns it into a key provider. None of
 * these values is a secret (secrets are read from the environment variables they name).
 */
public record KmsSettings(
        String provider,
        String keyEnvVar,
        String keyId,
        String awsRegion,
        String vaultAddr,
        String vaultTokenEnv,
        String keyName,
        String transitMount,
        String projectId,
        String location,
        String keyRing,
        String cryptoKey,
        String vaultUrl) {}
