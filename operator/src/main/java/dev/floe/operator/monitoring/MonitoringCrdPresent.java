package dev.floe.operator.monitoring;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Whether the ServiceMonitor CRD exists. JOSDK's condition stops looking after ten misses (about
 * 100 s after start-up), so prometheus-operator installed later would need an operator restart;
 * this one keeps looking, at most once per {@link #RECHECK} for the whole operator (the state is
 * shared by every catalog), and stops once it has seen the CRD.
 */
public class MonitoringCrdPresent<P extends HasMetadata> extends CRDPresentActivationCondition<ServiceMonitor, P> {
    /** Also how soon a catalog asking for a ServiceMonitor is reconciled again while the CRD is missing. */
    public static final Duration RECHECK = Duration.ofSeconds(30);

    @Override
    protected boolean shouldCheckStateNow(CRDCheckState state) {
        if (state.isCrdPresent() == null || state.getLastChecked() == null) {
            return true;
        }
        return !state.isCrdPresent()
                && LocalDateTime.now().isAfter(state.getLastChecked().plus(RECHECK));
    }
}
