package dev.floe.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Clock T1 = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock T2 = Clock.fixed(Instant.parse("2026-11-30T11:00:00Z"), ZoneOffset.UTC);

    @Test
    void keepsLastTransitionTimeWhileTheStatusStaysTheSame() {
        var first = new Conditions(null, 1, T1)
                .set("Ready", false, "PodsNotReady", "0 of 1")
                .build();
        var second = new Conditions(first, 2, T2).set("Ready", false, "DeploymentPending", "waiting");
        assertThat(second.build().get(0).getLastTransitionTime()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(second.changed()).hasSize(1);
    }

    @Test
    void movesLastTransitionTimeWhenTheStatusFlips() {
        var first = new Conditions(null, 1, T1)
                .set("Ready", false, "PodsNotReady", "0 of 1")
                .build();
        var second = new Conditions(first, 1, T2).set("Ready", true, "CatalogReady", "serving");
        assertThat(second.build().get(0).getLastTransitionTime()).isEqualTo("2026-11-30T11:00:00Z");
    }

    @Test
    void anUnchangedObservationYieldsAnEqualListAndNoChanges() {
        List<io.fabric8.kubernetes.api.model.Condition> first = new Conditions(null, 3, T1)
                .set("Ready", true, "CatalogReady", "ok")
                .build();
        var again = new Conditions(first, 3, T2).set("Ready", true, "CatalogReady", "ok");
        assertThat(again.build()).isEqualTo(first);
        assertThat(again.changed()).isEmpty();
    }
}
