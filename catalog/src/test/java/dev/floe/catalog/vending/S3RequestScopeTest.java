package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.junit.jupiter.api.Test;

/**
 * Which S3 requests {@link S3RequestScope} lets the catalog sign, for addressing moto cannot serve
 * (AWS's virtual-host and path-style hosts); the end-to-end behaviour is in {@link S3RemoteSigningIT}.
 */
class S3RequestScopeTest {

    private static final String TABLE = "s3://warehouse/tenant/sales/a";
    private static final S3RequestScope AWS = new S3RequestScope("");

    @Test
    void acceptsVirtualHostAndPathStyleRequestsUnderTheTableOnAws() {
        for (String uri : List.of(
                "https://warehouse.s3.us-east-1.amazonaws.com/tenant/sales/a/data/x.parquet",
                "https://warehouse.s3.amazonaws.com/tenant/sales/a/metadata/v1.json?x-id=GetObject",
                "https://s3.eu-west-3.amazonaws.com/warehouse/tenant/sales/a/data/x.parquet",
                "https://warehouse.s3.dualstack.us-east-1.amazonaws.com/tenant/sales/a/data/x.parquet?uploadId=u&partNumber=2")) {
            assertThat(check("PUT", uri, AccessLevel.READ_WRITE)).isEqualTo(new S3RequestScope.Accepted(null));
        }
    }

    @Test
    void refusesOtherBucketsHostsAndKeysWhateverTheAddressing() {
        for (String uri : List.of(
                "https://warehouse.s3.us-east-1.amazonaws.com/tenant/sales/b/data/x.parquet",
                "https://other.s3.us-east-1.amazonaws.com/tenant/sales/a/data/x.parquet",
                // path-style look-alike on another bucket's virtual host: S3 would read bucket "other"
                "https://other.s3.amazonaws.com/warehouse/tenant/sales/a/data/x.parquet",
                "https://s3.amazonaws.com/other/tenant/sales/a/data/x.parquet",
                "https://warehouse.s3.amazonaws.com.evil.example/tenant/sales/a/x",
                "https://warehouse.evil.example/tenant/sales/a/x",
                "https://warehouse.s3.amazonaws.com/tenant/sales/a",
                "https://warehouse.s3.amazonaws.com/tenant/sales/a/data/x?tagging")) {
            assertThatThrownBy(() -> check("GET", uri, AccessLevel.READ_WRITE))
                    .as(uri)
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void aConfiguredEndpointIsTheOnlyHostAccepted() {
        S3RequestScope minio = new S3RequestScope("http://minio.storage.svc:9000");
        assertThat(minio.check(
                        "GET",
                        URI.create("http://minio.storage.svc:9000/warehouse/tenant/sales/a/x"),
                        Map.of(),
                        null,
                        TABLE,
                        AccessLevel.READ))
                .isNotNull();
        assertThat(minio.check(
                        "GET",
                        URI.create("http://warehouse.minio.storage.svc:9000/tenant/sales/a/x"),
                        Map.of(),
                        null,
                        TABLE,
                        AccessLevel.READ))
                .isNotNull();
        assertThatThrownBy(() -> minio.check(
                        "GET",
                        URI.create("https://warehouse.s3.amazonaws.com/tenant/sales/a/x"),
                        Map.of(),
                        null,
                        TABLE,
                        AccessLevel.READ))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void readersGetOnlyReadsSigned() {
        String uri = "https://warehouse.s3.amazonaws.com/tenant/sales/a/data/x";
        assertThat(check("GET", uri, AccessLevel.READ)).isNotNull();
        assertThat(check("HEAD", uri, AccessLevel.READ)).isNotNull();
        for (String method : List.of("PUT", "POST", "DELETE", "PATCH", "OPTIONS")) {
            assertThatThrownBy(() -> check(method, uri, AccessLevel.READ))
                    .as(method)
                    .isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void bulkDeletesAreCheckedKeyByKey() {
        URI delete = URI.create("https://warehouse.s3.amazonaws.com/?delete");
        String own = "<Delete><Object><Key>tenant/sales/a/data/1</Key></Object>"
                + "<Object><Key>tenant/sales/a/data/2</Key></Object></Delete>";
        assertThat(AWS.check("POST", delete, Map.of(), own, TABLE, AccessLevel.READ_WRITE)
                        .deleteBody())
                .isEqualTo(own);
        String mixed = "<s3:Delete xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<s3:Object><s3:Key>tenant/sales/a/data/1</s3:Key></s3:Object>"
                + "<s3:Object><s3:Key>tenant/sales/b/data/1</s3:Key></s3:Object></s3:Delete>";
        assertThatThrownBy(() -> AWS.check("POST", delete, Map.of(), mixed, TABLE, AccessLevel.READ_WRITE))
                .isInstanceOf(ForbiddenException.class);
        String entity =
                "<!DOCTYPE d [<!ENTITY k SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&k;</Key></Object></Delete>";
        assertThatThrownBy(() -> AWS.check("POST", delete, Map.of(), entity, TABLE, AccessLevel.READ_WRITE))
                .isInstanceOf(BadRequestException.class);
    }

    private static S3RequestScope.Accepted check(String method, String uri, AccessLevel level) {
        return AWS.check(method, URI.create(uri), Map.of(), null, TABLE, level);
    }
}
