package dev.floe.catalog.testing;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * fake-gcs-server (built by {@code tools/gcs/install-fake-gcs-server.sh}) serving the Cloud Storage
 * JSON API over plain HTTP on a random loopback port, objects in memory. It accepts any request
 * without checking a token: it cannot show what a credential may or may not do.
 */
public final class FakeGcsServer implements AutoCloseable {

    public static final String PROJECT = "floe-test";

    private final ExternalServer server;

    public FakeGcsServer(Path workDir) {
        Path binary = ExternalServer.runTool("tools/gcs/install-fake-gcs-server.sh");
        int port = ExternalServer.freePort();
        // -public-host: the host the server writes into media links and resumable-upload URLs, so
        // the client's uploads come back to this port
        server = new ExternalServer(
                List.of(
                        binary.toString(),
                        "-scheme",
                        "http",
                        "-host",
                        "127.0.0.1",
                        "-port",
                        Integer.toString(port),
                        "-backend",
                        "memory",
                        "-public-host",
                        "127.0.0.1:" + port,
                        "-log-level",
                        "warn"),
                Map.of(),
                workDir.resolve("fake-gcs-server.log"),
                port);
    }

    public FakeGcsServer start() {
        server.start();
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** An unauthenticated client of this server. */
    public Storage client() {
        return StorageOptions.newBuilder()
                .setHost(endpoint())
                .setProjectId(PROJECT)
                .setCredentials(NoCredentials.getInstance())
                .build()
                .getService();
    }

    public void createBucket(String bucket) {
        try (Storage storage = client()) {
            storage.create(BucketInfo.of(bucket));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** Names of the objects under {@code prefix} in {@code bucket}, as the server lists them. */
    public List<String> objects(String bucket, String prefix) {
        try (Storage storage = client()) {
            return StreamSupport.stream(
                            storage.list(bucket, Storage.BlobListOption.prefix(prefix))
                                    .iterateAll()
                                    .spliterator(),
                            false)
                    .map(Blob::getName)
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + bucket + ": " + e.getMessage(), e);
        }
    }

    public String logText() {
        return server.logText();
    }

    @Override
    public void close() {
        server.close();
    }
}
