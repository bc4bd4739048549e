package dev.floe.catalog.config;

/**
 * The catalog's whole validated configuration, built once at start-up by {@link ConfigLoader}.
 *
 * @param server    HTTP listener
 * @param storage   metadata store
 * @param warehouse served warehouses
 * @param kms       key provider settings
 * @param dev       started with {@code --dev}: embedded defaults, loopback only
 */
public record FloeConfig(
        ServerSettings server, StorageSettings storage, WarehouseSettings warehouse, KmsSettings kms, boolean dev) {}
