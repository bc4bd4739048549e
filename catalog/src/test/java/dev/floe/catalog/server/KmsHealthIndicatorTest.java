package dev.floe.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.crypto.EnvelopeEncryption;
import dev.floe.catalog.kms.KeyProvider;
import dev.floe.catalog.kms.KmsCallPolicy;
import dev.floe.catalog.kms.KmsUnavailableException;
import dev.floe.catalog.kms.MasterKeyVersion;
import dev.floe.catalog.kms.ResilientKeyProvider;
import dev.floe.catalog.kms.SecretBytes;
import dev.floe.catalog.kms.WrappedKey;
import io.micronaut.health.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KmsHealthIndicatorTest {

    private static final class Down implements KeyProvider {
        @Override
        public String kind() {
            return "down";
        }

        @Override
        public WrappedKey wrap(SecretBytes dataKey) {
            throw new KmsUnavailableException("connection refused", Duration.ofSeconds(1));
        }

        @Override
        public SecretBytes unwrap(WrappedKey wrapped) {
            throw new KmsUnavailableException("connection refused", Duration.ofSeconds(1));
        }

        @Override
        public MasterKeyVersion currentVersion() {
            throw new KmsUnavailableException("connection refused", Duration.ofSeconds(1));
        }
    }

    @Test
    void reportsDownWhileTheBreakerIsOpen() {
        ResilientKeyProvider provider = new ResilientKeyProvider(new Down(), new KmsCallPolicy(Duration.ofSeconds(1), 1,
                Duration.ZERO, Duration.ZERO, 2, Duration.ofMinutes(1)));
        KmsHealthIndicator indicator = new KmsHealthIndicator(new EnvelopeEncryption(provider,
                EnvelopeEncryption.Options.defaults(), Clock.systemUTC()));
        assertThat(indicator.getHealthInformation()).containsEntry("breaker", "CLOSED").containsEntry("provider", "down");
        assertThat(indicator.status()).isEqualTo(HealthStatus.UP);
        assertThatThrownBy(provider::checkHealth).isInstanceOf(KmsUnavailableException.class);
        assertThatThrownBy(provider::checkHealth).isInstanceOf(KmsUnavailableException.class);
        assertThat(indicator.getHealthInformation()).containsEntry("breaker", "OPEN");
        assertThat(indicator.status()).isEqualTo(HealthStatus.DOWN);
    }
}
