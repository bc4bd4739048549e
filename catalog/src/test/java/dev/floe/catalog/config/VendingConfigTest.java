package dev.floe.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [warehouse] s3_vending_*} and {@code s3_sts_endpoint}: parsed, defaulted, refused with the key's name. */
class VendingConfigTest {

    @Test
    void vendingIsOffUntilARoleIsNamed() {
        WarehouseSettings.Vending vending =
                new ConfigLoader().load().warehouse().s3().vending();
        assertThat(vending.enabled()).isFalse();
        assertThat(vending.lifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void roleLifetimeAndStsEndpointAreRead() {
        WarehouseSettings.Vending vending = new ConfigLoader()
                .environment(Map.of(
                        "FLOE_WAREHOUSE_S3_VENDING_ROLE_ARN", "arn:aws:iam::123456789012:role/floe/vending",
                        "FLOE_WAREHOUSE_S3_VENDING_LIFETIME_SECONDS", "900",
                        "FLOE_WAREHOUSE_S3_STS_ENDPOINT", "https://sts.eu-west-3.amazonaws.com"))
                .load()
                .warehouse()
                .s3()
                .vending();
        assertThat(vending)
                .isEqualTo(new WarehouseSettings.Vending(
                        "arn:aws:iam::123456789012:role/floe/vending",
                        Duration.ofSeconds(900),
                        "https://sts.eu-west-3.amazonaws.com"));
        assertThat(vending.enabled()).isTrue();
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAccepted() {
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(
                                Map.of("FLOE_WAREHOUSE_S3_VENDING_ROLE_ARN", "arn:aws:iam::123456789012:user/someone"))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.s3_vending_role_arn")
                .hasMessageContaining("IAM role ARN");
        for (String bad : new String[] {"899", "43201", "1h"}) {
            assertThatThrownBy(() -> new ConfigLoader()
                            .environment(Map.of("FLOE_WAREHOUSE_S3_VENDING_LIFETIME_SECONDS", bad))
                            .load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("warehouse.s3_vending_lifetime_seconds")
                    .hasMessageContaining("900 to 43200");
        }
        assertThatThrownBy(() -> new ConfigLoader()
                        .environment(Map.of("FLOE_WAREHOUSE_S3_STS_ENDPOINT", "sts.local:4566"))
                        .load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.s3_sts_endpoint");
    }
}
