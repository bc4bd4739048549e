package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void aStandbyWaitingForTheLeaseIsReady() {
        Readiness standby = Readiness.of(true, false, false, List.of());
        assertThat(standby.ready()).isTrue();
        assertThat(standby.message()).contains("standby");
    }

    @Test
    void withoutLeaderElectionControllersThatDidNotStartAreNotReady() {
        assertThat(Readiness.of(false, false, false, List.of()).ready()).isFalse();
    }

    @Test
    void theLeaderIsReadyOnlyWhenEveryEventSourceIsHealthy() {
        assertThat(Readiness.of(true, true, true, List.of()).ready()).isTrue();
        Readiness broken = Readiness.of(true, true, false, List.of("secrets"));
        assertThat(broken.ready()).isFalse();
        assertThat(broken.message()).isEqualTo("not ready: secrets");
    }
}
