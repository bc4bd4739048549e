package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void aStandbyWaitingForTheLeaseIsReady() {
        Readiness standby = Readiness.of(true, false, true, true, List.of());
        assertThat(standby.ready()).isTrue();
        assertThat(standby.message()).contains("standby");
        // JOSDK starts a standby's informers before the Lease: started alone does not mean leading.
        assertThat(Readiness.of(true, false, false, false, List.of()).ready()).isTrue();
    }

    @Test
    void withoutLeaderElectionControllersThatDidNotStartAreNotReady() {
        assertThat(Readiness.of(false, false, false, false, List.of()).ready()).isFalse();
    }

    @Test
    void theLeaderIsReadyOnlyWhenEveryEventSourceIsHealthy() {
        assertThat(Readiness.of(true, true, true, true, List.of()).ready()).isTrue();
        assertThat(Readiness.of(true, true, true, true, List.of()).message()).isEqualTo("ready: leader");
        Readiness broken = Readiness.of(true, true, true, false, List.of("secrets"));
        assertThat(broken.ready()).isFalse();
        assertThat(broken.message()).isEqualTo("not ready: secrets");
    }
}
