package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
    @Test
    void watchesAllNamespacesByDefault() {
        var s = OperatorSettings.fromEnvironment(Map.of());
        assertThat(s.watchesAllNamespaces()).isTrue();
        assertThat(s.leaderElection()).isFalse();
        assertThat(s.httpPort()).isEqualTo(8080);
    }

    @Test
    void readsNamespacesAndLeaderElection() {
        var s = OperatorSettings.fromEnvironment(Map.of(
                "FLOE_WATCH_NAMESPACES",
                "a, b,",
                "FLOE_LEADER_ELECTION",
                "true",
                "POD_NAMESPACE",
                "floe-system",
                "FLOE_LOG_FORMAT",
                "json",
                "HOSTNAME",
                "floe-operator-7d9c-x2"));
        assertThat(s.watchedNamespaces()).containsExactlyInAnyOrder("a", "b");
        assertThat(s.leaseNamespace()).isEqualTo("floe-system");
        assertThat(s.logFormat()).isEqualTo("json");
        assertThat(s.leaseIdentity()).isEqualTo("floe-operator-7d9c-x2");
    }

    @Test
    void defaultCatalogImageIsTheOneOfTheOperatorsOwnVersion() {
        assertThat(OperatorSettings.fromEnvironment(Map.of()).catalogImage())
                .isEqualTo("ghcr.io/floe-dev/floe:" + OperatorVersion.current());
        assertThat(OperatorSettings.fromEnvironment(Map.of("FLOE_CATALOG_IMAGE", " "))
                        .catalogImage())
                .as("empty counts as unset")
                .isEqualTo("ghcr.io/floe-dev/floe:" + OperatorVersion.current());
    }

    @Test
    void catalogImageSettingOverridesTheVersionDefault() {
        assertThat(OperatorSettings.fromEnvironment(Map.of("FLOE_CATALOG_IMAGE", "registry.example/floe@sha256:abc"))
                        .catalogImage())
                .isEqualTo("registry.example/floe@sha256:abc");
    }

    @Test
    void rejectsBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("FLOE_CATALOG_IMAGE", "floe:1 floe:2")))
                .hasMessageContaining("FLOE_CATALOG_IMAGE");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("FLOE_LEADER_ELECTION", "yes")))
                .hasMessageContaining("FLOE_LEADER_ELECTION");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("FLOE_LEADER_ELECTION", "true")))
                .hasMessageContaining("POD_NAMESPACE");
        assertThatThrownBy(() ->
                        OperatorSettings.fromEnvironment(Map.of("FLOE_LEADER_ELECTION", "true", "POD_NAMESPACE", "ns")))
                .hasMessageContaining("HOSTNAME");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("FLOE_HTTP_PORT", "x")))
                .hasMessageContaining("FLOE_HTTP_PORT");
    }

    @Test
    void secretPollIntervalIsAMinuteUnlessSetToWholePositiveSeconds() {
        assertThat(OperatorSettings.fromEnvironment(Map.of()).secretPollInterval())
                .isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(OperatorSettings.fromEnvironment(Map.of("FLOE_SECRET_POLL_SECONDS", "15"))
                        .secretPollInterval())
                .isEqualTo(java.time.Duration.ofSeconds(15));
        for (String bad : new String[] {"0", "-5", "1m", ""}) {
            assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("FLOE_SECRET_POLL_SECONDS", bad)))
                    .as(bad)
                    .hasMessageContaining("FLOE_SECRET_POLL_SECONDS");
        }
    }
}
