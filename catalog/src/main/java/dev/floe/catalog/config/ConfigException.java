package dev.floe.catalog.config;

/** Invalid configuration: the message names the offending key and what it accepts. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
