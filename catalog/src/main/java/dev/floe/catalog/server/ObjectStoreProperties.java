package dev.floe.catalog.server;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.config.WarehouseSettings;
import dev.floe.catalog.kms.SecretFiles;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.azure.AzureProperties;
import org.apache.iceberg.gcp.GCPProperties;

/**
 * The Iceberg FileIO properties of the catalog's own ADLS and GCS clients, from
 * {@code [warehouse] adls_*} and {@code gcs_*}: iceberg-azure's ADLSFileIO and iceberg-gcp's
 * GCSFileIO read them, the other FileIOs ignore them. Unset options are left out so the SDKs'
 * defaults (Azure's and Google's default credential chains, the public endpoints) apply.
 */
final class ObjectStoreProperties {

    private ObjectStoreProperties() {}

    /**
     * ADLSFileIO keys its endpoint ({@code adls.connection-string.<host>}) by the account host of a
     * location ({@code <account>.dfs.core.windows.net}), so the configured endpoint is given for the
     * host of every ADLS warehouse location; the shared key is given with the account name of the
     * first one (ADLSFileIO takes one shared key for all accounts).
     */
    static Map<String, String> adls(WarehouseSettings.Adls adls, Collection<String> locations) {
        Map<String, String> properties = new LinkedHashMap<>();
        String account = null;
        for (String location : locations) {
            String host = adlsHost(location);
            if (host == null) {
                continue;
            }
            if (!adls.endpoint().isEmpty()) {
                properties.put(AzureProperties.ADLS_CONNECTION_STRING_PREFIX + host, adls.endpoint());
            }
            if (account == null) {
                account = host.substring(0, host.indexOf('.') < 0 ? host.length() : host.indexOf('.'));
            }
        }
        if (!adls.accountKeyFile().isEmpty() && account != null) {
            properties.put(AzureProperties.ADLS_SHARED_KEY_ACCOUNT_NAME, account);
            properties.put(
                    AzureProperties.ADLS_SHARED_KEY_ACCOUNT_KEY,
                    SecretFiles.read(
                            Path.of(adls.accountKeyFile()), ConfigKeys.WAREHOUSE_ADLS_ACCOUNT_KEY_FILE.path()));
        }
        return properties;
    }

    /** The account host of an {@code abfs(s)://container@host/path} or {@code wasb(s)://} location; null for other schemes. */
    static String adlsHost(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("abfs://")
                || lower.startsWith("abfss://")
                || lower.startsWith("wasb://")
                || lower.startsWith("wasbs://"))) {
            return null;
        }
        String authority = location.substring(location.indexOf("://") + 3);
        int slash = authority.indexOf('/');
        authority = slash < 0 ? authority : authority.substring(0, slash);
        return authority.substring(authority.indexOf('@') + 1);
    }

    static Map<String, String> gcs(WarehouseSettings.Gcs gcs) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!gcs.endpoint().isEmpty()) {
            properties.put(GCPProperties.GCS_SERVICE_HOST, gcs.endpoint());
        }
        if (!gcs.projectId().isEmpty()) {
            properties.put(GCPProperties.GCS_PROJECT_ID, gcs.projectId());
        }
        if (gcs.noAuth()) {
            properties.put(GCPProperties.GCS_NO_AUTH, "true");
        }
        return properties;
    }
}
