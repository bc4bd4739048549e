package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** floe.security.trusted-proxies is validated at start-up with a message naming the key. */
class ClientAddressesTest {

    @Test
    void acceptsAddressesAndCidrRangesOfBothFamilies() {
        assertThat(ClientAddresses.parse(" 10.0.0.0/8, 192.168.1.10 ,fd00::/8,::1")).hasSize(4);
        assertThat(ClientAddresses.parse("")).isEmpty();
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        for (String bad : new String[] {"ingress.local", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "10.0.0/8"}) {
            assertThatThrownBy(() -> ClientAddresses.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("floe.security.trusted-proxies").hasMessageContaining(bad);
        }
    }
}
