package dev.floe.catalog.config;

/**
 * The HTTP listener.
 *
 * @param host            address to bind
 * @param port            TCP port; 0 picks a free one (tests)
 * @param maxRequestBytes request body limit
 */
public record ServerSettings(String host, int port, long maxRequestBytes) {}
