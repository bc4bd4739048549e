package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.rest.IcebergErrors;
import dev.floe.catalog.testing.MotoS3Sts;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The STS side of vending against moto's STS: what a refused or unreachable AssumeRole becomes. */
class S3CredentialVendorIT {

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;

    @BeforeAll
    static void start() {
        moto = new MotoS3Sts(dir, "warehouse").start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void aRoleTheCatalogMayNotAssumeIsServiceUnavailableNamingOnlyTheStsErrorCode() {
        try (S3CredentialVendor vendor = new S3CredentialVendor(
                moto.stsClient(moto.endpoint()),
                "arn:aws:iam::123456789012:role/not-trusted",
                Duration.ofMinutes(15),
                null)) {
            assertThatThrownBy(() -> vendor.vend("s3://warehouse/tenant/t", AccessLevel.READ))
                    .isInstanceOf(ServiceUnavailableException.class)
                    // moto's error body is not in STS's format, so the SDK finds no code: the status stands in
                    .hasMessageMatching(
                            "Cannot vend storage credentials: STS AssumeRole failed \\((AccessDenied|HTTP 403)\\)")
                    .satisfies(e -> assertThat(IcebergErrors.status(e)).isEqualTo(503));
            assertThat(vendor.calls()).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableStsIsServiceUnavailable() {
        try (S3CredentialVendor vendor = new S3CredentialVendor(
                moto.stsClient(java.net.URI.create("http://127.0.0.1:9")),
                moto.roleArn(),
                Duration.ofMinutes(15),
                null)) {
            assertThatThrownBy(() -> vendor.vend("s3://warehouse/tenant/t", AccessLevel.READ))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessage("Cannot vend storage credentials: STS unreachable")
                    .hasMessageNotContaining(moto.catalogCredentials().secretAccessKey());
        }
    }

    @Test
    void sessionNamesCarryTheLevelAndADigestNotTheLocation() {
        String name = S3CredentialVendor.sessionName("s3://warehouse/tenant/secret-project/t", AccessLevel.READ_WRITE);
        assertThat(name).matches("floe-write-[0-9a-f]{24}").doesNotContain("secret");
        assertThat(name.length()).isLessThanOrEqualTo(64);
    }
}
