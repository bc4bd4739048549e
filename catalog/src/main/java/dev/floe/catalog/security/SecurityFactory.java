package dev.floe.catalog.security;

import dev.floe.catalog.catalog.Warehouses;
import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.store.ApiKeyRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Arrays;

/**
 * Wires the security layer from the metadata store's database (opened by {@link Warehouses}) and the
 * encryption layer's sealer: key repository, key service, token service (its signing key created once and
 * kept sealed in the store), optional OIDC, rate limiters, lockout tracker and audit log.
 */
@Factory
public class SecurityFactory {

    private final Clock clock = Clock.systemUTC();

    @Singleton
    @Requires(beans = {dev.floe.catalog.config.FloeConfig.class, Warehouses.class, EnvelopeEncryption.class})
    ApiKeyRepository apiKeyRepository(Warehouses warehouses, EnvelopeEncryption encryption) {
        // Warehouses opened the store and attached the DEK ring to its database: the sealer is ready.
        return new ApiKeyRepository(warehouses.store().dataSource(), encryption.sealer());
    }

    @Singleton
    @Requires(beans = ApiKeyRepository.class)
    ApiKeyService apiKeyService(ApiKeyRepository repository, SecuritySettings settings) {
        return new ApiKeyService(repository, clock, settings.keyCacheTtl());
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(beans = ApiKeyRepository.class)
    TokenService tokenService(ApiKeyRepository repository, ApiKeyService keys, SecuritySettings settings) {
        byte[] key = repository.securityKey(TokenService.KEY_NAME, TokenService::newSigningKey);
        try {
            return new TokenService(key, keys, clock, settings.tokenLifetime());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    // @Context: built at start-up, so bad OIDC settings stop the server instead of failing every request
    @Context
    @Requires(beans = ApiKeyService.class)
    Authenticator authenticator(ApiKeyService keys, TokenService tokens, SecuritySettings settings) {
        return new Authenticator(
                keys, tokens, settings.oidc().map(OidcAuthenticator::new).orElse(null));
    }

    @Singleton
    @Named("address")
    RateLimiter addressRateLimiter(SecuritySettings settings) {
        return new RateLimiter(settings.addressRatePerSecond(), settings.addressBurst(), clock);
    }

    @Singleton
    @Named("key")
    RateLimiter keyRateLimiter(SecuritySettings settings) {
        return new RateLimiter(settings.keyRatePerSecond(), settings.keyBurst(), clock);
    }

    @Singleton
    LockoutTracker lockoutTracker(SecuritySettings settings) {
        return new LockoutTracker(
                settings.lockoutFailures(), settings.lockoutWindow(), settings.lockoutDuration(), clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    AuditLog auditLog(SecuritySettings settings, @Nullable MeterRegistry meters) {
        return settings.auditFile() == null
                ? AuditLog.stdout(clock, meters)
                : AuditLog.file(settings.auditFile(), clock, meters);
    }
}
