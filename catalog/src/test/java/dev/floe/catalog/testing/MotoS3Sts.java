package dev.floe.catalog.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * moto's S3, STS and IAM APIs in one server on a random loopback port, with IAM authorisation on
 * from the first request and the session-policy, expiry and {@code StringLike} rules that
 * {@code tools/s3/moto_sts_s3.py} adds (moto alone ignores session policies: see docs/storage.md).
 * The launcher creates the buckets, the IAM user {@code floe-catalog} (whose key is
 * {@link #catalogCredentials()}) and the role {@link #roleArn()} that user may assume.
 */
public final class MotoS3Sts implements AutoCloseable {

    private final ExternalServer server;
    private final Path accountFile;
    private final Path clockOffsetFile;
    private JsonNode account;

    public MotoS3Sts(Path workDir, String... buckets) {
        Path motoServer = ExternalServer.runToolScript("install-moto.sh");
        Path python = motoServer.resolveSibling("python");
        Path launcher = ExternalServer.repoRoot().resolve("tools/s3/moto_sts_s3.py");
        int port = ExternalServer.freePort();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accountFile = workDir.resolve("moto-account.json");
        clockOffsetFile = workDir.resolve("moto-clock-offset");
        List<String> command = new ArrayList<>(List.of(
                python.toString(),
                launcher.toString(),
                "--port",
                Integer.toString(port),
                "--account-file",
                accountFile.toString(),
                "--clock-offset-file",
                clockOffsetFile.toString()));
        for (String bucket : buckets) {
            command.add("--bucket");
            command.add(bucket);
        }
        server = new ExternalServer(command, Map.of(), workDir.resolve("moto-s3-sts.log"), port);
    }

    public MotoS3Sts start() {
        server.start();
        try {
            account = new ObjectMapper().readTree(accountFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    /** The IAM user key the catalog runs with (its own files, and sts:AssumeRole on the role). */
    public AwsBasicCredentials catalogCredentials() {
        return AwsBasicCredentials.create(
                account.get("accessKeyId").asText(),
                account.get("secretAccessKey").asText());
    }

    public String roleArn() {
        return account.get("roleArn").asText();
    }

    /** Moves the server's clock (as used for credential expiry) forward by {@code offset}. */
    public void advanceClock(Duration offset) {
        try {
            Files.writeString(clockOffsetFile, Long.toString(offset.toSeconds()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path-style client of this server signed with the given credentials. */
    public S3Client client(AwsCredentials credentials) {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** An STS client at {@code endpoint} (this server's, or one that cannot answer) signed as the catalog's user. */
    public StsClient stsClient(URI endpoint) {
        return StsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(catalogCredentials()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A client signed with session credentials (access key, secret, token). */
    public S3Client client(String accessKeyId, String secretAccessKey, String sessionToken) {
        return client(AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
    }

    public String logText() {
        return server.logText();
    }

    @Override
    public void close() {
        server.close();
    }
}
