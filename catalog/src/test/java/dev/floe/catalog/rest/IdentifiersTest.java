package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @Test
    void decodesMultiLevelNamespacesEncodedOrNot() {
        assertThat(Identifiers.namespace("a%1Fb")).isEqualTo(Namespace.of("a", "b"));
        assertThat(Identifiers.namespace("a\u001fb")).isEqualTo(Namespace.of("a", "b"));
        assertThat(Identifiers.namespace("with.dot")).isEqualTo(Namespace.of("with.dot"));
        assertThat(Identifiers.namespace("a%2Bb")).isEqualTo(Namespace.of("a+b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", ".", "a\u0000b", "tab\there", "back\\slash", ""})
    void rejectsUnsafeNames(String name) {
        assertThatThrownBy(() -> Identifiers.validateName(name, "name")).isInstanceOf(BadRequestException.class);
    }

    @Test
    void rejectsNamesLongerThan255Bytes() {
        Identifiers.validateName("x".repeat(255), "name");
        assertThatThrownBy(() -> Identifiers.validateName("x".repeat(256), "name"))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("255");
        // multi-byte characters count in bytes
        assertThatThrownBy(() -> Identifiers.validateName("é".repeat(128), "name"))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void printableEscapesControlCharactersAndTruncates() {
        assertThat(Identifiers.printable("a\u0000b")).isEqualTo("a\\u0000b");
        assertThat(Identifiers.printable("y".repeat(500))).hasSizeLessThan(110);
    }
}
