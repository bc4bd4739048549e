package dev.floe.catalog.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The warehouses this catalog serves. Each name is a URL prefix ({@code /v1/{name}/…}) and the
 * value of a client's {@code warehouse} setting; the default one also answers un-prefixed paths.
 *
 * @param defaultName name of the default warehouse
 * @param locations   name → base location of table files (includes the default)
 * @param s3          S3 client options, shared by every {@code s3://} warehouse
 * @param tableLocations where tables and views may be placed, in every warehouse: {@code namespace}
 *                    (under their namespace's location) or {@code warehouse} (anywhere inside the
 *                    warehouse location)
 */
public record WarehouseSettings(
        String defaultName, Map<String, String> locations, S3 s3, Adls adls, Gcs gcs, String tableLocations) {

    public WarehouseSettings {
        locations = Map.copyOf(locations);
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(adls, "adls");
        Objects.requireNonNull(gcs, "gcs");
        Objects.requireNonNull(tableLocations, "tableLocations");
    }

    /** With default ADLS and GCS options. */
    public WarehouseSettings(String defaultName, Map<String, String> locations, S3 s3, String tableLocations) {
        this(defaultName, locations, s3, Adls.DEFAULT, Gcs.DEFAULT, tableLocations);
    }

    /**
     * The {@code [warehouse] adls_*} options, shared by every {@code abfs(s)://}/{@code wasb(s)://} warehouse.
     *
     * @param endpoint       absolute http(s) URL of the storage account (e.g. Azurite's
     *                       {@code http://127.0.0.1:10000/devstoreaccount1}), {@code ""} for
     *                       {@code https://<account host of the location>}
     * @param accountKeyFile file holding the account's shared key, {@code ""} for Azure's default credential chain
     */
    public record Adls(String endpoint, String accountKeyFile) {
        public static final Adls DEFAULT = new Adls("", "");

        public Adls {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(accountKeyFile, "accountKeyFile");
        }
    }

    /**
     * The {@code [warehouse] gcs_*} options, shared by every {@code gs://} warehouse.
     *
     * @param endpoint  absolute http(s) URL of the JSON API, {@code ""} for Google's
     * @param projectId project, {@code ""} for the application default credentials' one
     * @param noAuth    unauthenticated requests (emulators only)
     */
    public record Gcs(String endpoint, String projectId, boolean noAuth) {
        public static final Gcs DEFAULT = new Gcs("", "", false);

        public Gcs {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(projectId, "projectId");
        }
    }

    public String defaultLocation() {
        return locations.get(defaultName);
    }

    /**
     * The {@code [warehouse] s3_*} options: where the catalog's S3 client sends its requests.
     *
     * @param endpoint        absolute http(s) URL of the S3 API, {@code ""} for AWS S3
     * @param region          region, {@code ""} to leave it to the AWS SDK's default chain
     * @param pathStyleAccess {@code <endpoint>/<bucket>} addressing instead of {@code <bucket>.<endpoint host>}
     * @param credentialsDir  directory of credential files ({@code [warehouse] credentials_dir}), {@code ""}
     *                        to leave credentials to the AWS SDK's default chain
     * @param vending         credential vending to engines ({@link Vending#OFF} when not configured)
     * @param remoteSigning   whether engines may have their S3 requests signed by the catalog
     *                        ({@code [warehouse] s3_remote_signing})
     */
    public record S3(
            String endpoint,
            String region,
            boolean pathStyleAccess,
            String credentialsDir,
            Vending vending,
            boolean remoteSigning) {
        public S3 {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(credentialsDir, "credentialsDir");
            Objects.requireNonNull(vending, "vending");
        }

        /** Without remote signing. */
        public S3(String endpoint, String region, boolean pathStyleAccess, String credentialsDir, Vending vending) {
            this(endpoint, region, pathStyleAccess, credentialsDir, vending, false);
        }

        /** With the SDK's default credentials and without credential vending. */
        public S3(String endpoint, String region, boolean pathStyleAccess) {
            this(endpoint, region, pathStyleAccess, "", Vending.OFF);
        }

        /** Without credential vending. */
        public S3(String endpoint, String region, boolean pathStyleAccess, String credentialsDir) {
            this(endpoint, region, pathStyleAccess, credentialsDir, Vending.OFF);
        }
    }

    /**
     * The {@code [warehouse] s3_vending_*} and {@code s3_sts_endpoint} options: which role the catalog
     * assumes to hand engines short-lived credentials limited to one table.
     *
     * @param roleArn     IAM role ARN, {@code ""} when vending is off
     * @param lifetime    how long each vended credential is valid
     * @param stsEndpoint absolute http(s) URL of the STS API, {@code ""} for AWS STS
     */
    public record Vending(String roleArn, Duration lifetime, String stsEndpoint) {
        public static final Vending OFF = new Vending("", Duration.ofHours(1), "");

        public Vending {
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(lifetime, "lifetime");
            Objects.requireNonNull(stsEndpoint, "stsEndpoint");
        }

        public boolean enabled() {
            return !roleArn.isEmpty();
        }
    }
}
