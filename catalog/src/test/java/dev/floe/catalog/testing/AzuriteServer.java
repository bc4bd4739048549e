package dev.floe.catalog.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Azurite's Blob service (installed by {@code tools/azure/install-azurite.sh}) on a random loopback
 * port, storing under the test's directory. Azurite emulates the Blob API only, not the Data Lake
 * (DFS, hierarchical namespace) API: see docs/storage.md for what that means for ADLSFileIO.
 * It serves the emulator's well-known account {@value #ACCOUNT}.
 */
public final class AzuriteServer implements AutoCloseable {

    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's published development key for {@link #ACCOUNT} (not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /** The account host that {@code abfss://} locations name; ADLSFileIO maps it to {@link #endpoint()}. */
    public static final String ACCOUNT_HOST = ACCOUNT + ".dfs.core.windows.net";

    private final ExternalServer server;

    public AzuriteServer(Path workDir) {
        Path azurite = ExternalServer.runTool("tools/azure/install-azurite.sh");
        int port = ExternalServer.freePort();
        try {
            Files.createDirectories(workDir.resolve("azurite"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // --skipApiVersionCheck: the Java SDK may speak a newer service version than Azurite knows.
        // On SIGTERM Azurite waits until every client's keep-alive connection is closed, and the Azure
        // SDK keeps its pooled connections for the JVM's life: without a short grace each stop took
        // the full 20 s before SIGKILL. Its storage is the test's own directory, so nothing is lost.
        server = new ExternalServer(
                List.of(
                        azurite.toString(),
                        "--blobHost",
                        "127.0.0.1",
                        "--blobPort",
                        Integer.toString(port),
                        "--location",
                        workDir.resolve("azurite").toString(),
                        "--skipApiVersionCheck"),
                Map.of(),
                workDir.resolve("azurite.log"),
                port,
                Duration.ofSeconds(2));
    }

    public AzuriteServer start() {
        server.start();
        return this;
    }

    /** The account endpoint, path-style as Azurite serves it: {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.port() + "/" + ACCOUNT;
    }

    /** A Blob API client of the account, signed with the account key. */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder()
                .endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY))
                .buildClient();
    }

    public BlobContainerClient createContainer(String name) {
        return client().createBlobContainerIfNotExists(name);
    }

    /** Names of the blobs under {@code prefix} in {@code container}, as the emulator lists them. */
    public List<String> blobs(String container, String prefix) {
        return client().getBlobContainerClient(container).listBlobs().stream()
                .map(BlobItem::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    public String logText() {
        return server.logText();
    }

    @Override
    public void close() {
        server.close();
    }
}
