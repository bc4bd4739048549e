package dev.floe.operator;

import dev.floe.operator.catalog.CatalogImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read from environment variables at start-up:
 * FLOE_WATCH_NAMESPACES (comma-separated; empty = all namespaces), FLOE_LEADER_ELECTION
 * (true/false), FLOE_LEADER_ELECTION_NAMESPACE (default: POD_NAMESPACE), FLOE_HTTP_HOST and
 * FLOE_HTTP_PORT (health probes and /metrics), FLOE_LOG_FORMAT (text or json), FLOE_CATALOG_IMAGE
 * (the image of catalogs without spec.image; unset or empty: {@code ghcr.io/floe-dev/floe:<the
 * operator's own version>}), FLOE_SECRET_POLL_SECONDS (how often the Secrets that catalogs and
 * bindings name are read again; default 60). The Lease holder identity is the pod name (HOSTNAME),
 * as JOSDK uses it.
 */
public record OperatorSettings(
        Set<String> watchedNamespaces,
        boolean leaderElection,
        String leaseNamespace,
        String leaseIdentity,
        String httpHost,
        int httpPort,
        String logFormat,
        String catalogImage,
        Duration secretPollInterval) {
    public static final String LEASE_NAME = "floe-operator-leader";

    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(
                        env.getOrDefault("FLOE_WATCH_NAMESPACES", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        String leader = env.getOrDefault("FLOE_LEADER_ELECTION", "false").trim();
        if (!leader.equals("true") && !leader.equals("false")) {
            throw new IllegalArgumentException("FLOE_LEADER_ELECTION must be true or false, was '" + leader + "'");
        }
        String logFormat = env.getOrDefault("FLOE_LOG_FORMAT", "text").trim();
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new IllegalArgumentException("FLOE_LOG_FORMAT must be text or json, was '" + logFormat + "'");
        }
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("FLOE_HTTP_PORT", "8080").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "FLOE_HTTP_PORT must be a port number (0 disables the HTTP endpoint)", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("FLOE_HTTP_PORT must be between 0 and 65535, was " + port);
        }
        String leaseNamespace = env.getOrDefault("FLOE_LEADER_ELECTION_NAMESPACE", env.get("POD_NAMESPACE"));
        if (leader.equals("true") && (leaseNamespace == null || leaseNamespace.isBlank())) {
            throw new IllegalArgumentException(
                    "FLOE_LEADER_ELECTION=true needs FLOE_LEADER_ELECTION_NAMESPACE or POD_NAMESPACE");
        }
        String identity = env.get("HOSTNAME");
        if (leader.equals("true") && (identity == null || identity.isBlank())) {
            throw new IllegalArgumentException(
                    "FLOE_LEADER_ELECTION=true needs HOSTNAME (the pod name) as the Lease holder identity");
        }
        return new OperatorSettings(
                namespaces,
                leader.equals("true"),
                leaseNamespace,
                identity,
                env.getOrDefault("FLOE_HTTP_HOST", "0.0.0.0"),
                port,
                logFormat,
                catalogImage(env),
                secretPollInterval(env));
    }

    /** FLOE_SECRET_POLL_SECONDS: whole seconds, at least 1 (default 60, as often as a credential change should be noticed). */
    static Duration secretPollInterval(Map<String, String> env) {
        String value = env.getOrDefault("FLOE_SECRET_POLL_SECONDS", "60").trim();
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        if (seconds < 1) {
            throw new IllegalArgumentException(
                    "FLOE_SECRET_POLL_SECONDS must be a whole number of seconds, at least 1, was '" + value + "'");
        }
        return Duration.ofSeconds(seconds);
    }

    /** FLOE_CATALOG_IMAGE when set and not empty, else the catalog image of this operator's version. */
    static String catalogImage(Map<String, String> env) {
        String image = env.getOrDefault("FLOE_CATALOG_IMAGE", "").trim();
        if (image.isEmpty()) {
            return CatalogImage.forVersion(OperatorVersion.current());
        }
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "FLOE_CATALOG_IMAGE must be one image reference such as " + CatalogImage.forVersion("1.2.3")
                            + " (or unset for the operator's own version), was '" + image + "'");
        }
        return image;
    }

    public boolean watchesAllNamespaces() {
        return watchedNamespaces.isEmpty();
    }
}
