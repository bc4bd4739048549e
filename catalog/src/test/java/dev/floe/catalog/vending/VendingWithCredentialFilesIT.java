package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.catalog.testing.DevCatalogProcess;
import dev.floe.catalog.testing.MotoS3Sts;
import dev.floe.contract.CredentialFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Credential vending when the catalog's own AWS key is in {@code [warehouse] credentials_dir}, as
 * the operator mounts a warehouse Secret, and nowhere in its environment: AssumeRole must be called
 * as that identity (the role trusts only it), not the AWS SDK's default chain, which finds nothing.
 */
class VendingWithCredentialFilesIT {

    private static final String BUCKET = "warehouse";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;
    private static DevCatalogProcess floe;

    @BeforeAll
    static void start() throws Exception {
        moto = new MotoS3Sts(dir.resolve("moto"), BUCKET).start();
        Path keys = Files.createDirectories(dir.resolve("warehouse-secret"));
        Files.writeString(
                keys.resolve(CredentialFiles.AWS_ACCESS_KEY_ID),
                moto.catalogCredentials().accessKeyId());
        Files.writeString(
                keys.resolve(CredentialFiles.AWS_SECRET_ACCESS_KEY),
                moto.catalogCredentials().secretAccessKey());
        floe = DevCatalogProcess.start(
                dir.resolve("floe"), """
                [warehouse]
                location = "s3://%1$s/tenant"
                s3_endpoint = "%2$s"
                s3_region = "us-east-1"
                s3_path_style_access = true
                credentials_dir = "%3$s"
                s3_vending_role_arn = "%4$s"
                s3_sts_endpoint = "%2$s"
                """.formatted(BUCKET, moto.endpoint(), keys, moto.roleArn()), null);
        try (RESTCatalog admin = new RESTCatalog()) {
            admin.initialize("admin", Map.of("uri", floe.uri().toString(), "token", floe.adminKey()));
            admin.createNamespace(Namespace.of("sales"));
            admin.createTable(
                    TableIdentifier.of("sales", "orders"),
                    new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (floe != null) {
            floe.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void vendsCredentialsAssumedAsTheKeyInCredentialsDir() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(floe.uri() + "/v1/default/namespaces/sales/tables/orders"))
                        .header("Authorization", "Bearer " + floe.createKey("reader"))
                        .header("X-Iceberg-Access-Delegation", "vended-credentials")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode load = new ObjectMapper().readTree(response.body());
        assertThat(load.get("storage-credentials")).as(response.body()).hasSize(1);
        JsonNode config = load.get("storage-credentials").get(0).get("config");
        String metadata = load.get("metadata-location").asText().substring(("s3://" + BUCKET + "/").length());
        try (S3Client vended = moto.client(
                config.get("s3.access-key-id").asText(),
                config.get("s3.secret-access-key").asText(),
                config.get("s3.session-token").asText())) {
            assertThat(vended.getObjectAsBytes(b -> b.bucket(BUCKET).key(metadata))
                            .asUtf8String())
                    .contains("table-uuid");
        }
    }
}
