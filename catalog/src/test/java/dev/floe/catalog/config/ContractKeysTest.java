package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.CatalogConfig;
import dev.floe.contract.ConfigName;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The half of the operator–catalog contract a compiler cannot check: every key the operator may
 * write ({@link CatalogConfig}) is one the catalog accepts, under the same environment variable.
 * (A key the catalog renamed fails to compile in the operator; a key added to the contract but not
 * to {@link ConfigKeys} fails here, instead of as "unknown key" when a pod starts.)
 */
class ContractKeysTest {

    @Test
    void everyKeyTheOperatorMayWriteIsOneTheCatalogAccepts() throws Exception {
        List<ConfigName> names = new ArrayList<>();
        for (Field field : CatalogConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigName.class) {
                names.add((ConfigName) field.get(null));
            }
        }
        assertThat(names).hasSizeGreaterThan(30);
        for (ConfigName name : names) {
            assertThat(ConfigKeys.find(name.section(), name.name()))
                    .as(name.path())
                    .hasValueSatisfying(key -> assertThat(key.envName()).isEqualTo(name.envName()));
        }
    }
}
