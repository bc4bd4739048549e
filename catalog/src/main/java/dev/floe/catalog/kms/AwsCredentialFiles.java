package dev.floe.catalog.kms;

import dev.floe.contract.CredentialFiles;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * AWS credentials from a directory of files named as the SDK's environment variables
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, optional {@code AWS_SESSION_TOKEN}):
 * a Kubernetes Secret with those keys, mounted as a volume. Read once, at start (the operator rolls
 * the pods when the Secret changes).
 */
public final class AwsCredentialFiles {
    private static final java.util.List<String> REQUIRED =
            java.util.List.of(CredentialFiles.AWS_ACCESS_KEY_ID, CredentialFiles.AWS_SECRET_ACCESS_KEY);

    private AwsCredentialFiles() {}

    /** The files' values by name (session token only when its file exists). */
    public static Map<String, String> read(Path dir, String key) {
        return SecretFiles.readDirectory(dir, CredentialFiles.AWS, REQUIRED, key);
    }

    /** A static credentials provider over {@link #read}. */
    public static AwsCredentialsProvider provider(Path dir, String key) {
        Map<String, String> files = read(dir, key);
        String id = files.get(CredentialFiles.AWS_ACCESS_KEY_ID);
        String secret = files.get(CredentialFiles.AWS_SECRET_ACCESS_KEY);
        String session = files.get(CredentialFiles.AWS_SESSION_TOKEN);
        AwsCredentials credentials = session == null
                ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, session);
        return StaticCredentialsProvider.create(credentials);
    }
}
