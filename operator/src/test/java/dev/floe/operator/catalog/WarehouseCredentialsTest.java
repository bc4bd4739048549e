package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an S3, ADLS or GCS warehouse becomes in the catalog's TOML and pods, with a credentials
 * Secret and with workload identity: the files the catalog reads, the volume that provides them,
 * the one environment variable (a path), the labels and ServiceAccount annotations.
 */
class WarehouseCredentialsTest {

    /** An embedded catalog whose {@code spec.warehouse} is {@code warehouseBlock} (YAML under warehouse:). */
    static IcebergCatalog catalog(String warehouseBlock) {
        String yaml = Fixtures.embeddedCatalog("c", "kms")
                .replace(
                        "    location: file:///var/lib/floe/warehouse\n",
                        warehouseBlock
                                        .lines()
                                        .map(l -> "    " + l)
                                        .reduce((a, b) -> a + "\n" + b)
                                        .orElseThrow()
                                + "\n");
        IcebergCatalog c = new KubernetesSerialization().unmarshal(yaml, IcebergCatalog.class);
        c.getMetadata().setNamespace("ns");
        return c;
    }

    @Test
    void adlsWithASecretReadsTheSharedKeyFileProjectedFromIt() {
        IcebergCatalog c = catalog("""
                location: abfss://lake@acct.dfs.core.windows.net/sales
                credentialsSecret: adls-key
                adls:
                  endpoint: http://azurite.storage.svc:10000/acct
                """);
        assertThat(CatalogToml.render(c, null))
                .contains("[warehouse]\nlocation = \"abfss://lake@acct.dfs.core.windows.net/sales\"\n"
                        + "adls_endpoint = \"http://azurite.storage.svc:10000/acct\"\n"
                        + "adls_account_key_file = \"/etc/floe/secrets/warehouse/AZURE_STORAGE_KEY\"\n")
                .doesNotContain("credentials_dir")
                .doesNotContain("adls-key")
                .doesNotContain("gcs_")
                .doesNotContain("s3_");
        Volume volume = new PodVolumes()
                .warehouseCredentials(c.getSpec().warehouse())
                .volumes()
                .get(0);
        assertThat(volume.getSecret().getSecretName()).isEqualTo("adls-key");
        assertThat(volume.getSecret().getItems())
                .extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AZURE_STORAGE_KEY", "AZURE_STORAGE_KEY"));
        assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0440);
        assertThat(new PodVolumes()
                        .warehouseCredentials(c.getSpec().warehouse())
                        .mounts())
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/etc/floe/secrets/warehouse");
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(WarehouseCredentials.env(c.getSpec().warehouse())).isEmpty();
        assertThat(WarehouseCredentials.podLabels(c.getSpec().warehouse())).isEmpty();
    }

    @Test
    void gcsWithASecretPointsGoogleApplicationCredentialsAtTheProjectedKeyFile() {
        IcebergCatalog c = catalog("""
                location: gs://lake/sales
                credentialsSecret: gcs-key
                gcs:
                  endpoint: http://fake-gcs.storage.svc:4443
                  projectId: sales-analytics
                """);
        assertThat(CatalogToml.render(c, null))
                .contains("[warehouse]\nlocation = \"gs://lake/sales\"\n"
                        + "gcs_endpoint = \"http://fake-gcs.storage.svc:4443\"\n"
                        + "gcs_project_id = \"sales-analytics\"\n")
                // the key file reaches Google's default chain through the environment, not the TOML
                .doesNotContain("credentials_dir")
                .doesNotContain("gcs_no_auth")
                .doesNotContain("gcs-key");
        Volume volume = new PodVolumes()
                .warehouseCredentials(c.getSpec().warehouse())
                .volumes()
                .get(0);
        assertThat(volume.getSecret().getSecretName()).isEqualTo("gcs-key");
        assertThat(volume.getSecret().getItems()).extracting(KeyToPath::getKey).containsExactly("credentials.json");
        assertThat(WarehouseCredentials.env(c.getSpec().warehouse()))
                .containsExactly(new EnvVar(
                        "GOOGLE_APPLICATION_CREDENTIALS", "/etc/floe/secrets/warehouse/credentials.json", null));
    }

    @Test
    void gcsEmulatorWithoutAuthWritesNoAuthAndMountsNothing() {
        IcebergCatalog c = catalog("""
                location: gs://lake/sales
                gcs:
                  endpoint: http://fake-gcs.storage.svc:4443
                  noAuth: true
                """);
        assertThat(CatalogToml.render(c, null)).contains("gcs_no_auth = true\n");
        assertThat(new PodVolumes()
                        .warehouseCredentials(c.getSpec().warehouse())
                        .volumes())
                .isEmpty();
        assertThat(new PodVolumes()
                        .warehouseCredentials(c.getSpec().warehouse())
                        .mounts())
                .isEmpty();
        assertThat(WarehouseCredentials.env(c.getSpec().warehouse())).isEmpty();
    }

    @Test
    void s3WithASecretKeepsTheWholeSecretAsTheCredentialsDirectory() {
        IcebergCatalog c = catalog("""
                location: s3://lake/sales
                credentialsSecret: s3-keys
                """);
        assertThat(CatalogToml.render(c, null)).contains("credentials_dir = \"/etc/floe/secrets/warehouse\"\n");
        Volume volume = new PodVolumes()
                .warehouseCredentials(c.getSpec().warehouse())
                .volumes()
                .get(0);
        assertThat(volume.getSecret().getSecretName()).isEqualTo("s3-keys");
        // the optional AWS_SESSION_TOKEN cannot be projected by name: every key is mounted
        assertThat(volume.getSecret().getItems()).isNullOrEmpty();
        assertThat(WarehouseCredentials.env(c.getSpec().warehouse())).isEmpty();
    }

    @Test
    void workloadIdentityMountsNothingWritesNoCredentialKeyAndLabelsThePods() {
        for (String location :
                new String[] {"abfss://lake@acct.dfs.core.windows.net/sales", "gs://lake/sales", "s3://lake/sales"}) {
            IcebergCatalog c = catalog("""
                    location: %s
                    workloadIdentity:
                      serviceAccountAnnotations:
                        azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001
                      podLabels:
                        azure.workload.identity/use: "true"
                    """.formatted(location));
            assertThat(CatalogToml.render(c, null))
                    .as(location)
                    .doesNotContain("adls_account_key_file")
                    .doesNotContain("credentials_dir");
            assertThat(new PodVolumes()
                            .warehouseCredentials(c.getSpec().warehouse())
                            .volumes())
                    .isEmpty();
            assertThat(new PodVolumes()
                            .warehouseCredentials(c.getSpec().warehouse())
                            .mounts())
                    .isEmpty();
            assertThat(WarehouseCredentials.env(c.getSpec().warehouse())).isEmpty();
            assertThat(WarehouseCredentials.podLabels(c.getSpec().warehouse()))
                    .isEqualTo(Map.of("azure.workload.identity/use", "true"));
        }
    }
}
