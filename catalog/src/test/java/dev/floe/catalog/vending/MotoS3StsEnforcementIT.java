package dev.floe.catalog.vending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.testing.MotoS3Sts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The S3/STS server the vending tests rely on really refuses what a session policy does not allow,
 * and expired session credentials: without these refusals every vending test below would pass
 * vacuously. Session credentials here come straight from STS AssumeRole, not from the catalog.
 */
class MotoS3StsEnforcementIT {

    private static final String BUCKET = "warehouse";

    @TempDir
    static Path dir;

    private static MotoS3Sts moto;
    private static S3Client admin;
    private static StsClient sts;

    @BeforeAll
    static void start() {
        moto = new MotoS3Sts(dir, BUCKET).start();
        admin = moto.client(moto.catalogCredentials());
        sts = moto.stsClient(moto.endpoint());
        admin.putObject(b -> b.bucket(BUCKET).key("a/t1/data/x"), RequestBody.fromString("one"));
        admin.putObject(b -> b.bucket(BUCKET).key("a/t2/data/y"), RequestBody.fromString("two"));
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    private static S3Client sessionClient(String policy) {
        Credentials c = sts.assumeRole(b -> b.roleArn(moto.roleArn())
                        .roleSessionName("enforcement-it")
                        .durationSeconds(900)
                        .policy(policy))
                .credentials();
        return moto.client(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    private static String readOnly(String prefix) {
        return """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::%1$s/%2$s/*"},
                 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::%1$s",
                  "Condition":{"StringLike":{"s3:prefix":["%2$s/*"]}}}]}""".formatted(BUCKET, prefix);
    }

    @Test
    void sessionPolicyLimitsAssumedRoleCredentialsToItsPrefixAndActions() {
        try (S3Client session = sessionClient(readOnly("a/t1"))) {
            assertThat(session.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/t1/data/x"))
                            .asUtf8String())
                    .isEqualTo("one");
            assertThat(session.listObjectsV2(b -> b.bucket(BUCKET).prefix("a/t1/"))
                            .contents())
                    .hasSize(1);

            // the role itself may do all of these; the session policy may not
            assertDenied(() -> session.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/t2/data/y")));
            assertDenied(() -> session.listObjectsV2(b -> b.bucket(BUCKET).prefix("a/t2/")));
            assertDenied(() -> session.listObjectsV2(b -> b.bucket(BUCKET)));
            assertDenied(
                    () -> session.putObject(b -> b.bucket(BUCKET).key("a/t1/data/z"), RequestBody.fromString("w")));
        }
    }

    @Test
    void expiredSessionCredentialsAreRefused() {
        try (S3Client session = sessionClient(readOnly("a/t1"))) {
            session.headObject(b -> b.bucket(BUCKET).key("a/t1/data/x"));
            moto.advanceClock(Duration.ofSeconds(901));
            try {
                assertThatThrownBy(
                                () -> session.headObject(b -> b.bucket(BUCKET).key("a/t1/data/x")))
                        .isInstanceOfSatisfying(
                                S3Exception.class,
                                e -> assertThat(e.statusCode()).isEqualTo(400));
                assertThatThrownBy(() ->
                                session.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/t1/data/x")))
                        .isInstanceOfSatisfying(
                                S3Exception.class,
                                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
            } finally {
                moto.advanceClock(Duration.ZERO);
            }
        }
    }

    @Test
    void unknownKeysAreRefused() {
        try (S3Client stranger = moto.client(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                "AKIAFLOETESTUNKNOWN1", "not-a-secret"))) {
            assertThatThrownBy(() ->
                            stranger.getObjectAsBytes(b -> b.bucket(BUCKET).key("a/t1/data/x")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        });
    }
}
