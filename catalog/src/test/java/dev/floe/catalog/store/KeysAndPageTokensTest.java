package dev.floe.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeysAndPageTokensTest {

    @Test
    void namespaceKeysRoundTripLevelsWithDotsAndSlashes() {
        List<String> levels = List.of("a.b", "c/d", "é");
        assertThat(Keys.levels(Keys.namespaceKey(levels))).isEqualTo(levels);
        assertThat(Keys.levels("")).isEmpty();
    }

    @Test
    void rejectsLevelsThatWouldBreakTheEncoding() {
        assertThatThrownBy(() -> Keys.namespaceKey(List.of("a\u001fb"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.namespaceKey(List.of("a\u0000"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.namespaceKey(List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageTokensAreOpaqueAndRoundTrip() {
        String token = PageTokens.encode("t0137");
        assertThat(token).doesNotContain("t0137");
        assertThat(PageTokens.decode(token)).isEqualTo("t0137");
        assertThat(PageTokens.decode(null)).isEmpty();
        assertThat(PageTokens.decode("")).isEmpty();
    }

    @Test
    void rejectsForeignTokensAndBadSizes() {
        assertThatThrownBy(() -> PageTokens.decode("%%%")).hasMessage("Invalid page token");
        assertThatThrownBy(() -> PageTokens.decode("aGVsbG8")).hasMessage("Invalid page token"); // "hello"
        assertThatThrownBy(() -> PageTokens.pageSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PageTokens.pageSize(null)).isEqualTo(PageTokens.DEFAULT_PAGE_SIZE);
    }
}
