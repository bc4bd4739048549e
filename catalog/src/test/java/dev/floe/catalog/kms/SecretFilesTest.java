package dev.floe.catalog.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.contract.CredentialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void dropsTheTrailingLineBreaksThatEchoAndKubectlAddButKeepsInnerSpaces() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "pa ss\tword \r\n\n");
        assertThat(SecretFiles.read(file, "storage.password_file")).isEqualTo("pa ss\tword ");
    }

    @Test
    void aMissingOrEmptyFileFailsNamingTheKeyAndThePathNeverAContent() throws Exception {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> SecretFiles.read(missing, "storage.password_file"))
                .hasMessageContaining("storage.password_file")
                .hasMessageContaining(missing.toString());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> SecretFiles.read(empty, "[kms] key_file")).hasMessageContaining("is empty");
    }

    @Test
    void awsCredentialsFromAMountedSecretDirectoryIncludeTheSessionTokenWhenPresent() throws Exception {
        Files.writeString(dir.resolve(CredentialFiles.AWS_ACCESS_KEY_ID), "AKIAFILE\n");
        Files.writeString(dir.resolve(CredentialFiles.AWS_SECRET_ACCESS_KEY), "secret-from-file\n");
        Files.writeString(dir.resolve(CredentialFiles.AWS_SESSION_TOKEN), "session-from-file");
        AwsCredentials credentials =
                AwsCredentialFiles.provider(dir, "[kms] credentials_dir").resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("AKIAFILE");
        assertThat(credentials.secretAccessKey()).isEqualTo("secret-from-file");
        assertThat(credentials)
                .isInstanceOfSatisfying(
                        AwsSessionCredentials.class,
                        s -> assertThat(s.sessionToken()).isEqualTo("session-from-file"));
    }

    @Test
    void aDirectoryWithoutARequiredFileFailsNamingTheFile() throws Exception {
        Files.writeString(dir.resolve(CredentialFiles.AWS_ACCESS_KEY_ID), "AKIAFILE");
        assertThatThrownBy(() -> SecretFiles.readDirectory(
                        dir,
                        CredentialFiles.AWS,
                        List.of(CredentialFiles.AWS_ACCESS_KEY_ID, CredentialFiles.AWS_SECRET_ACCESS_KEY),
                        "[kms] credentials_dir"))
                .hasMessageContaining("[kms] credentials_dir")
                .hasMessageContaining("has no file AWS_SECRET_ACCESS_KEY")
                .hasMessageNotContaining("AKIAFILE");
    }
}
