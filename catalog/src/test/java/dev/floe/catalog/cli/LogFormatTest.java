package dev.floe.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void textUnlessAskedOtherwise() {
        assertThat(LogFormat.select(List.of("serve", "--dev"), Map.of())).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, " ")))
                .isEqualTo(LogFormat.TEXT);
    }

    @Test
    void environmentSelectsJson() {
        assertThat(LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, "JSON")))
                .isEqualTo(LogFormat.JSON);
    }

    @Test
    void optionWinsOverEnvironmentInBothSpellings() {
        Map<String, String> env = Map.of(LogFormat.ENV, "json");
        assertThat(LogFormat.select(List.of("serve", "--log-format", "text"), env))
                .isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.select(List.of("serve", "--log-format=json"), Map.of()))
                .isEqualTo(LogFormat.JSON);
    }

    @Test
    void badValueNamesWhereItCameFrom() {
        assertThatThrownBy(() -> LogFormat.select(List.of("serve", "--log-format", "xml"), Map.of()))
                .hasMessage("--log-format must be text or json, was 'xml'");
        assertThatThrownBy(() -> LogFormat.select(List.of("serve"), Map.of(LogFormat.ENV, "yaml")))
                .hasMessage("FLOE_LOG_FORMAT must be text or json, was 'yaml'");
    }

    @Test
    void eachFormatHasItsConfigurationOnTheClasspath() {
        for (LogFormat format : LogFormat.values()) {
            assertThat(LogFormat.class.getClassLoader().getResource(format.configurationResource()))
                    .as(format.configurationResource())
                    .isNotNull();
        }
    }
}
