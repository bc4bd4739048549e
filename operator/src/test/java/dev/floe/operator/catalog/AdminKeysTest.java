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
        assertThat(key.split("_")[2]).hasSize(64);
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
