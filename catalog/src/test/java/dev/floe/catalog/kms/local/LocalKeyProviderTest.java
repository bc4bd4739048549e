package dev.floe.catalog.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.kms.KmsException;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyProviderTest {

    @TempDir
    Path dir;

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void rejectsMissingOrMalformedKeysNamingTheVariable() {
        assertThatThrownBy(() -> LocalKeyProvider.fromEnvironment("FLOE_MASTER_KEY", Map.of()))
                .hasMessageContaining("FLOE_MASTER_KEY")
                .hasMessageContaining("key_env_var");
        assertThatThrownBy(() -> LocalKeyProvider.fromEnvironment("K", Map.of("K", "c2hvcnQ=")))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> LocalKeyProvider.fromEnvironment("K", Map.of("K", "not base64!")))
                .hasMessageContaining("base64")
                .hasMessageNotContaining("not base64!");
    }

    @Test
    void aKeyRingFileRotatesWhenAVersionIsAppended() throws Exception {
        Path ring = dir.resolve("ring");
        Files.writeString(ring, "# dev keys\n1:" + key() + "\n");
        try (LocalKeyProvider p = LocalKeyProvider.fromKeyRingFile(ring)) {
            SecretBytes dek = SecretBytes.copyOf(new byte[32]);
            WrappedKey v1 = p.wrap(dek);
            assertThat(v1.keyVersion()).isEqualTo("1");

            Files.writeString(ring, "2:" + key() + "\n", StandardOpenOption.APPEND);
            Files.setLastModifiedTime(ring, FileTime.from(Instant.now().plusSeconds(10)));
            assertThat(p.currentVersion().version()).isEqualTo("2");
            WrappedKey v2 = p.rewrap(v1);
            assertThat(v2.keyVersion()).isEqualTo("2");
            assertThat(p.unwrap(v1).sameContentAs(dek)).isTrue();
            assertThat(p.unwrap(v2).sameContentAs(dek)).isTrue();
        }
    }

    @Test
    void aWrappedKeyOfAnotherMasterKeyFailsPermanently() {
        LocalKeyProvider a = LocalKeyProvider.fromEnvironment("K", Map.of("K", key()));
        LocalKeyProvider b = LocalKeyProvider.fromEnvironment("K", Map.of("K", key()));
        WrappedKey wrapped = a.wrap(SecretBytes.copyOf(new byte[32]));
        assertThatThrownBy(() -> b.unwrap(wrapped))
                .isInstanceOf(KmsException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void closeZeroisesTheMasterKeys() {
        LocalKeyProvider p = LocalKeyProvider.fromEnvironment("K", Map.of("K", key()));
        p.close();
        assertThatThrownBy(() -> p.wrap(SecretBytes.copyOf(new byte[32])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("destroyed");
    }
}
