package dev.floe.catalog.kms;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code [kms]} section as the key providers read it: the provider name and its keys by their
 * TOML names ({@code key_env_var}, {@code key_id}, {@code aws_region}, {@code vault_addr}, ...).
 * The config layer builds it from its parsed record; keeping it a map here lets a provider gain an
 * option without a change in every layer. Values are never secrets: secrets are read from the
 * environment variables or files the values name.
 *
 * @param provider {@code local} (alias {@code env}), {@code aws}, {@code gcp}, {@code azure} or {@code vault}
 * @param keys     the other keys of the section, blank values meaning unset
 */
public record KeyProviderSettings(String provider, Map<String, String> keys) {

    public KeyProviderSettings {
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("[kms] provider is required: one of local, env, aws, gcp, azure, vault");
        }
        Map<String, String> copy = new TreeMap<>();
        keys.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                copy.put(k, v.strip());
            }
        });
        keys = Map.copyOf(copy);
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    public String get(String key, String defaultValue) {
        return keys.getOrDefault(key, defaultValue);
    }

    /** The value of {@code key}, or a start-up error naming the key and what it is for. */
    public String require(String key, String what) {
        String v = keys.get(key);
        if (v == null) {
            throw new IllegalArgumentException("[kms] " + key + " is required for provider " + provider + ": " + what);
        }
        return v;
    }

    public Optional<URI> endpoint() {
        return optional("endpoint").map(v -> {
            try {
                URI uri = URI.create(v);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[kms] endpoint: not an absolute URL: " + v);
            }
        });
    }

    public Optional<Path> path(String key) {
        return optional(key).map(Path::of);
    }

    /** A duration key in seconds (e.g. {@code timeout_seconds = 5}). */
    public Duration seconds(String key, Duration defaultValue) {
        return optional(key)
                .map(v -> {
                    try {
                        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("[kms] " + key + ": expected a number of seconds, got " + v);
                    }
                })
                .orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return optional(key)
                .map(v -> {
                    try {
                        return Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("[kms] " + key + ": expected an integer, got " + v);
                    }
                })
                .orElse(defaultValue);
    }

    /** Every call guard from the section, defaults where unset. */
    public KmsCallPolicy callPolicy() {
        KmsCallPolicy d = KmsCallPolicy.defaults();
        return new KmsCallPolicy(
                seconds("timeout_seconds", d.callTimeout()),
                integer("max_attempts", d.maxAttempts()),
                seconds("backoff_seconds", d.initialBackoff()),
                seconds("backoff_max_seconds", d.maxBackoff()),
                integer("breaker_threshold", d.breakerThreshold()),
                seconds("breaker_open_seconds", d.breakerOpenFor()));
    }
}
