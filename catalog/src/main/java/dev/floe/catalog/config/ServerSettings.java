package dev.floe.catalog.config;

import java.time.Duration;

/**
 * The HTTP listener.
 *
 * @param host            address to bind
 * @param port            TCP port; 0 picks a free one (tests)
 * @param maxRequestBytes request body limit
 * @param managementPort  port serving only health and metrics (plain HTTP, same host), or 0 when
 *                        they are served on {@code port} with the API
 * @param shutdownDrain   how long a stopping server answers with {@code Connection: close} before
 *                        it closes idle keep-alive connections (zero: at once)
 */
public record ServerSettings(String host, int port, long maxRequestBytes, int managementPort, Duration shutdownDrain) {

    /** Without a management port or a shutdown drain. */
    public ServerSettings(String host, int port, long maxRequestBytes) {
        this(host, port, maxRequestBytes, 0, Duration.ZERO);
    }

    /** Whether health and metrics have a port of their own. */
    public boolean hasManagementPort() {
        return managementPort > 0;
    }
}
