package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.sas.DataLakeServiceSasSignatureValues;
import com.azure.storage.file.datalake.sas.PathSasPermission;
import dev.floe.catalog.testing.AzuriteServer;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Azurite enforces of a shared access signature, measured before building ADLS vending on it
 * (as {@code MotoS3StsEnforcementIT} does for the S3 server): a container SAS's permissions and
 * expiry are enforced; a directory SAS ({@code sr=d}, what a table-scoped ADLS SAS is on a
 * hierarchical-namespace account) is refused outright, even inside its directory, because Azurite
 * has no Data Lake API. Table-level scoping of an ADLS SAS therefore cannot be tested on Azurite;
 * this test fails, and says so, the day Azurite starts accepting directory SAS.
 */
class AzuriteSasEnforcementIT {

    private static final String CONTAINER = "sas";

    @TempDir
    static Path dir;

    private static AzuriteServer azurite;
    private static BlobContainerClient owner;

    @BeforeAll
    static void start() {
        azurite = new AzuriteServer(dir).start();
        owner = azurite.createContainer(CONTAINER);
        owner.getBlobClient("tenant/a/f1").upload(BinaryData.fromString("A"), true);
        owner.getBlobClient("tenant/b/f1").upload(BinaryData.fromString("B"), true);
    }

    @AfterAll
    static void stop() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void readOnlyContainerSasReadsButCannotWrite() {
        BlobContainerClient reader = withSas(owner.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plusHours(1), new BlobContainerSasPermission().setReadPermission(true))));
        assertThat(reader.getBlobClient("tenant/a/f1").downloadContent().toString())
                .isEqualTo("A");
        assertThatThrownBy(() -> reader.getBlobClient("tenant/a/new").upload(BinaryData.fromString("x")))
                .isInstanceOfSatisfying(
                        BlobStorageException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }

    @Test
    void expiredContainerSasIsRefused() {
        BlobContainerClient expired = withSas(owner.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().minusMinutes(1), new BlobContainerSasPermission().setReadPermission(true))));
        assertThatThrownBy(() -> expired.getBlobClient("tenant/a/f1").downloadContent())
                .isInstanceOfSatisfying(
                        BlobStorageException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }

    @Test
    void directorySasIsRefusedEvenInsideItsDirectoryBecauseAzuriteHasNoDataLakeApi() {
        String sas = new DataLakeServiceClientBuilder()
                .endpoint(azurite.endpoint())
                .credential(new StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT_KEY))
                .buildClient()
                .getFileSystemClient(CONTAINER)
                .getDirectoryClient("tenant/a")
                .generateSas(new DataLakeServiceSasSignatureValues(
                        OffsetDateTime.now().plusHours(1),
                        new PathSasPermission().setReadPermission(true).setListPermission(true)));
        assertThat(sas).contains("sr=d");
        BlobContainerClient scoped = withSas(sas);
        assertThatThrownBy(() -> scoped.getBlobClient("tenant/a/f1").downloadContent())
                .as("Azurite accepted a directory SAS: table-scoped ADLS vending can now be tested on it")
                .isInstanceOfSatisfying(
                        BlobStorageException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
        assertThatThrownBy(() -> scoped.getBlobClient("tenant/b/f1").downloadContent())
                .isInstanceOfSatisfying(
                        BlobStorageException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }

    private static BlobContainerClient withSas(String sas) {
        return new BlobContainerClientBuilder()
                .endpoint(azurite.endpoint())
                .containerName(CONTAINER)
                .sasToken(sas)
                .buildClient();
    }
}
