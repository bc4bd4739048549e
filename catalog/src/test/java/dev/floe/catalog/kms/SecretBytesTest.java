package dev.floe.catalog.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBytesTest {

    @Test
    void zeroisesTheOwnedArrayOnClose() {
        byte[] raw = {1, 2, 3, 4, 5, 6, 7, 8};
        SecretBytes secret = SecretBytes.takeOwnership(raw);
        secret.close();
        assertThat(raw).containsOnly(0);
        assertThat(secret.isDestroyed()).isTrue();
        assertThatThrownBy(() -> secret.apply(b -> b.length)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void copyOfLeavesTheCallersArrayAlone() {
        byte[] raw = {9, 9, 9};
        try (SecretBytes secret = SecretBytes.copyOf(raw)) {
            assertThat(secret.apply(b -> (int) b[0]).intValue()).isEqualTo(9);
        }
        assertThat(raw).containsOnly(9);
    }

    @Test
    void toStringShowsNoContent() {
        byte[] raw = "super-secret-key-material-12345!".getBytes();
        SecretBytes secret = SecretBytes.copyOf(raw);
        String text = secret.toString();
        assertThat(text)
                .doesNotContain("super")
                .doesNotContain(Base64.getEncoder().encodeToString(raw))
                .contains("32 bytes");
    }

    @Test
    void isNeitherSerializableNorCloneable() {
        assertThat(Serializable.class.isAssignableFrom(SecretBytes.class)).isFalse();
        assertThat(Cloneable.class.isAssignableFrom(SecretBytes.class)).isFalse();
    }

    @Test
    void copiesAreIndependent() {
        SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2});
        SecretBytes b = a.copy();
        a.close();
        assertThat(b.isDestroyed()).isFalse();
        assertThat(b.sameContentAs(SecretBytes.copyOf(new byte[] {1, 2}))).isTrue();
    }
}
