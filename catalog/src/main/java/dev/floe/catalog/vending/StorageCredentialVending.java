package dev.floe.catalog.vending;

import dev.floe.catalog.config.WarehouseSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;

/**
 * What the REST layer asks when an engine wants storage access: credentials scoped to a table's
 * location and the caller's access level (cached, see {@link VendedCredentialCache}), and the
 * client settings an engine needs to use them against the warehouse's S3 endpoint. Only
 * {@code s3://} (and {@code s3a://}, {@code s3n://}) locations get credentials; {@link #OFF} when
 * no vending role is configured.
 */
public final class StorageCredentialVending implements AutoCloseable {

    public static final StorageCredentialVending OFF = new StorageCredentialVending(null, Map.of(), null);

    /** PyIceberg's names for the region and for virtual-host addressing (Iceberg Java uses the others). */
    static final String PYICEBERG_REGION = "s3.region";

    static final String PYICEBERG_FORCE_VIRTUAL_ADDRESSING = "s3.force-virtual-addressing";

    private final VendedCredentialCache cache;
    private final Map<String, String> clientConfig;
    /** The STS client's owner, closed with this; typed so that closing cannot throw. */
    private final S3CredentialVendor vendor;

    public StorageCredentialVending(
            VendedCredentialCache cache, Map<String, String> clientConfig, S3CredentialVendor vendor) {
        this.cache = cache;
        this.clientConfig = Map.copyOf(clientConfig);
        this.vendor = vendor;
    }

    /** Vending with {@code cache} for warehouses configured by {@code s3}; {@code vendor} is closed with it. */
    public static StorageCredentialVending s3(
            VendedCredentialCache cache, WarehouseSettings.S3 s3, S3CredentialVendor vendor) {
        return new StorageCredentialVending(cache, s3ClientConfig(s3), vendor);
    }

    /** Endpoint, region and addressing of {@code s3}, as Iceberg's and PyIceberg's FileIOs name them. */
    static Map<String, String> s3ClientConfig(WarehouseSettings.S3 s3) {
        Map<String, String> config = new LinkedHashMap<>();
        if (!s3.endpoint().isEmpty()) {
            config.put(S3FileIOProperties.ENDPOINT, s3.endpoint());
        }
        if (!s3.region().isEmpty()) {
            config.put(AwsClientProperties.CLIENT_REGION, s3.region());
            config.put(PYICEBERG_REGION, s3.region());
        }
        config.put(S3FileIOProperties.PATH_STYLE_ACCESS, Boolean.toString(s3.pathStyleAccess()));
        config.put(PYICEBERG_FORCE_VIRTUAL_ADDRESSING, Boolean.toString(!s3.pathStyleAccess()));
        return config;
    }

    public boolean enabled() {
        return cache != null;
    }

    /** Credentials for the table at {@code location}, or empty when it is not on S3 or vending is off. */
    public Optional<VendedCredential> credentials(String location, AccessLevel level) {
        return vends(location) ? Optional.of(cache.get(location, level)) : Optional.empty();
    }

    /** As {@link #credentials} but only from the cache: empty when an STS call would be needed. */
    public Optional<VendedCredential> cachedCredentials(String location, AccessLevel level) {
        return vends(location) ? Optional.ofNullable(cache.getIfFresh(location, level)) : Optional.empty();
    }

    /** Endpoint, region and addressing of the warehouse's S3 service, for engines' FileIO. */
    public Map<String, String> clientConfig() {
        return clientConfig;
    }

    @Override
    public void close() {
        if (vendor != null) {
            vendor.close();
        }
    }

    private boolean vends(String location) {
        return cache != null
                && location != null
                && (location.startsWith("s3://") || location.startsWith("s3a://") || location.startsWith("s3n://"));
    }
}
