package dev.floe.catalog.rest;

import dev.floe.catalog.config.ConfigKeys;
import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link LocationConfinementContract} on a warehouse in a bucket of a real S3 API server (s3proxy):
 * outside it is another prefix of the same bucket, which the catalog's S3 credentials reach.
 */
class S3LocationConfinementIT extends LocationConfinementContract {

    private static final String BUCKET = "floe-confinement";
    private static Path dir;
    private static S3ProxyServer s3;
    private static S3Client s3Client;
    private static FloeServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("floe-s3-confinement");
        s3 = new S3ProxyServer(dir.resolve("s3-data"), dir).start();
        s3Client = s3.client();
        s3Client.createBucket(b -> b.bucket(BUCKET));
        // the AWS SDK's default credential chain of the catalog's S3FileIO reads these
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        server = TestCatalogServers.startSqlite(
                dir,
                Map.of(
                        ConfigKeys.WAREHOUSE_LOCATION,
                        "s3://" + BUCKET + "/tenant-a",
                        ConfigKeys.WAREHOUSE_S3_ENDPOINT,
                        s3.endpoint().toString(),
                        ConfigKeys.WAREHOUSE_S3_REGION,
                        "us-east-1",
                        ConfigKeys.WAREHOUSE_S3_PATH_STYLE_ACCESS,
                        "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (s3Client != null) {
            s3Client.close();
        }
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        TestFiles.deleteRecursively(dir);
    }

    @Override
    FloeServer server() {
        return server;
    }

    @Override
    String root() {
        return "s3://" + BUCKET + "/tenant-a";
    }

    @Override
    String outside() {
        return "s3://" + BUCKET + "/tenant-b";
    }

    @Override
    boolean existsUnder(String location) {
        String key = location.substring(("s3://" + BUCKET + "/").length());
        return !s3Client.listObjectsV2(r -> r.bucket(BUCKET).prefix(key))
                .contents()
                .isEmpty();
    }

    @Override
    void write(String location, String content) {
        String key = location.substring(("s3://" + BUCKET + "/").length());
        s3Client.putObject(
                r -> r.bucket(BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(content));
    }
}
