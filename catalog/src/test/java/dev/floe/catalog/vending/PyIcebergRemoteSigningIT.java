package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.catalog.testing.DevCatalogProcess;
import dev.floe.catalog.testing.MotoS3Sts;
import dev.floe.catalog.testing.PyIcebergScript;
import java.nio.file.Path;
import java.util.List;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * PyIceberg 0.12 through S3 remote signing, as {@link S3RemoteSigningIT} does with the Java client:
 * the built {@code floe.jar} with {@code s3_remote_signing = true} on moto's S3 (which checks every
 * SigV4 signature), and a PyIceberg process holding no S3 keys. PyIceberg signs only through its
 * fsspec FileIO (s3fs) and only when told to ({@code s3.signer = S3V4RestSigner}): it does not act
 * on the {@code s3.remote-signing-enabled} that the catalog answers in loadTable.
 */
class PyIcebergRemoteSigningIT {

    private static final String BUCKET = "warehouse";
    private static final String ROOT = "s3://" + BUCKET + "/tenant";
    private static final Map<String, String> CLIENT_PROPERTIES = Map.of(
            "py-io-impl", "pyiceberg.io.fsspec.FsspecFileIO",
            "s3.signer", "S3V4RestSigner",
            "header.X-Iceberg-Access-Delegation", "remote-signing");

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;
    private static DevCatalogProcess floe;
    private static S3Client catalogS3;
    private static String locationOfOther;
    private static PyIcebergScript pyiceberg;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        moto = new MotoS3Sts(dir.resolve("moto"), BUCKET).start();
        catalogS3 = moto.client(moto.catalogCredentials());
        floe = DevCatalogProcess.start(
                dir.resolve("floe"), """
                [warehouse]
                location = "%s"
                s3_endpoint = "%s"
                s3_region = "us-east-1"
                s3_path_style_access = true
                s3_remote_signing = true
                """.formatted(ROOT, moto.endpoint()), moto.catalogCredentials());
        try (RESTCatalog admin = new RESTCatalog()) {
            admin.initialize("admin", Map.of("uri", floe.uri().toString(), "token", floe.adminKey()));
            admin.createNamespace(Namespace.of("sales"));
            locationOfOther = admin.createTable(
                            TableIdentifier.of("sales", "other"),
                            new Schema(Types.NestedField.required(1, "id", Types.LongType.get())))
                    .location();
        }
        pyiceberg = new PyIcebergScript(dir.resolve("clients"));
        env = Map.of(
                "FLOE_URI",
                floe.uri().toString(),
                "FLOE_TOKEN",
                floe.createKey("writer"),
                "FLOE_NAMESPACE",
                "sales",
                "FLOE_TABLE",
                "py_signed",
                "FLOE_CLIENT_PROPERTIES",
                PyIcebergScript.json(CLIENT_PROPERTIES),
                // no S3 keys anywhere the AWS SDK would look: only the catalog's signatures get through
                "AWS_CONFIG_FILE",
                dir.resolve("no-aws-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("no-aws-credentials").toString(),
                "AWS_EC2_METADATA_DISABLED",
                "true");
    }

    @AfterAll
    static void stop() throws Exception {
        if (floe != null) {
            floe.close();
        }
        if (catalogS3 != null) {
            catalogS3.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void pyIcebergCreatesAppendsScansAndIsRefusedAnotherTablesLocationWithoutStorageKeys() {
        String location = ROOT + "/sales/py_signed";
        JsonNode written = pyiceberg.run("pyiceberg_object_store_check.py", env, "write");
        assertThat(written.get("io").asText()).isEqualTo("FsspecFileIO");
        assertThat(written.get("s3_properties"))
                .extracting(JsonNode::asText)
                .contains("s3.remote-signing-enabled", "s3.signer", "s3.signer.endpoint")
                .doesNotContain("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
        assertThat(written.get("rows").asInt()).isEqualTo(4);
        assertThat(written.get("ids").toString()).isEqualTo("[1,2,3,4]");
        assertThat(written.get("columns").toString()).isEqualTo("[\"id\",\"kind\",\"note\"]");
        assertThat(written.get("location").asText()).isEqualTo(location);
        List<String> data = objects("tenant/sales/py_signed/data/");
        assertThat(written.get("data_files"))
                .hasSize(2)
                .allSatisfy(f -> assertThat(data).contains(key(f.asText())));
        assertThat(objects("tenant/sales/py_signed/metadata/"))
                .as("the catalog's metadata files: create, append, add column, append")
                .filteredOn(k -> k.endsWith(".metadata.json"))
                .hasSize(4);

        String intruder = locationOfOther + "/data/intruder.parquet";
        JsonNode intrusion = pyiceberg.run("pyiceberg_object_store_check.py", env, "intrude", intruder);
        assertThat(intrusion.get("refused").asBoolean()).isTrue();
        assertThat(intrusion.get("error").asText()).contains("Failed to sign request 403");
        assertThat(objects("tenant/sales/other/data/")).isEmpty();

        JsonNode purged = pyiceberg.run("pyiceberg_object_store_check.py", env, "purge");
        assertThat(purged.get("exists_after_purge").asBoolean()).isFalse();
        assertThat(objects("tenant/sales/py_signed/")).isEmpty();
    }

    private static List<String> objects(String prefix) {
        return catalogS3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static String key(String location) {
        return location.substring(("s3://" + BUCKET + "/").length());
    }
}
