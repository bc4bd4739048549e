package dev.floe.operator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminKeysTest {
    @Test
    void generatesKeysInTheCatalogFormatWith256BitSecrets() {
        String key = AdminKeys.generate();
        assertThat(key).matches(AdminKeys.FORMAT);
        // 43 base64url characters after "floe_" + 16 + "_": 32 random bytes.
        assertThat(java.util.Base64.getUrlDecoder().decode(key.substring("floe_".length() + 17)))
                .hasSize(32);
    }

    @Test
    void neverRepeatsAKey() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(AdminKeys.generate());
        }
        assertThat(keys).hasSize(1000);
    }
}
