package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.config.ConfigException;
import dev.floe.catalog.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * floe.security.trusted-proxies is validated at start-up with a message naming the key, and is set
 * from the TOML key {@code [security] trusted_proxies} or {@code FLOE_SECURITY_TRUSTED_PROXIES}.
 */
class ClientAddressesTest {

    @TempDir
    Path dir;

    @Test
    void acceptsAddressesAndCidrRangesOfBothFamilies() {
        assertThat(ClientAddresses.parse(" 10.0.0.0/8, 192.168.1.10 ,fd00::/8,::1"))
                .hasSize(4);
        assertThat(ClientAddresses.parse("")).isEmpty();
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        for (String bad : new String[] {"ingress.local", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "10.0.0/8"}) {
            assertThatThrownBy(() -> ClientAddresses.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("floe.security.trusted-proxies")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void tomlKeyAndItsEnvironmentVariableSetTheTrustedProxies() throws Exception {
        Path toml = Files.writeString(
                dir.resolve("catalog.toml"), "[security]\ntrusted_proxies = \"10.0.0.0/8, 192.168.1.10\"\n");
        assertThat(ClientAddresses.properties(new ConfigLoader().file(toml)))
                .isEqualTo(Map.of(ClientAddresses.TRUSTED_PROXIES, "10.0.0.0/8, 192.168.1.10"));
        // the environment overrides the file, as for every key
        assertThat(ClientAddresses.properties(
                        new ConfigLoader().file(toml).environment(Map.of("FLOE_SECURITY_TRUSTED_PROXIES", "fd00::/8"))))
                .isEqualTo(Map.of(ClientAddresses.TRUSTED_PROXIES, "fd00::/8"));
        // unset: no property, so X-Forwarded-For stays ignored
        assertThat(ClientAddresses.properties(new ConfigLoader())).isEmpty();
    }

    @Test
    void aBadTomlOrEnvironmentValueStopsTheStartNamingTheKeyAndItsOrigin() throws Exception {
        Path toml = Files.writeString(dir.resolve("bad.toml"), "[security]\ntrusted_proxies = \"ingress.local\"\n");
        assertThatThrownBy(() -> ClientAddresses.properties(new ConfigLoader().file(toml)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.trusted_proxies")
                .hasMessageContaining(toml.toString())
                .hasMessageContaining("'ingress.local' is not an IP address or CIDR range");
        assertThatThrownBy(() -> ClientAddresses.properties(
                        new ConfigLoader().environment(Map.of("FLOE_SECURITY_TRUSTED_PROXIES", "10.0.0.0/33"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.trusted_proxies (from environment FLOE_SECURITY_TRUSTED_PROXIES)")
                .hasMessageContaining("10.0.0.0/33");
    }
}
