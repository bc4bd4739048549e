package dev.floe.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code floe.dev/pause-reconciliation: "true"} annotation (as Strimzi's
 * {@code strimzi.io/pause-reconciliation}): the operator changes nothing for a paused resource
 * except its {@code ReconciliationPaused} condition, and resumes when the annotation goes away or
 * says anything else. Both reconcilers use it.
 */
public final class Pausing {
    public static final String ANNOTATION = "floe.dev/pause-reconciliation";
    public static final String CONDITION = "ReconciliationPaused";
    /** Reason of the condition when the resource itself carries the annotation. */
    public static final String PAUSED = "ReconciliationPaused";

    public static final String RESUMED = "ReconciliationResumed";

    private Pausing() {}

    public static boolean isPaused(HasMetadata resource) {
        var annotations = resource == null ? null : resource.getMetadata().getAnnotations();
        return annotations != null
                && "true"
                        .equalsIgnoreCase(
                                String.valueOf(annotations.get(ANNOTATION)).strip());
    }

    /** Whether these (previous) conditions say the resource was paused by its own annotation. */
    public static boolean wasPaused(List<Condition> conditions) {
        Condition c = Conditions.find(conditions, CONDITION);
        return c != null && Conditions.TRUE.equals(c.getStatus()) && PAUSED.equals(c.getReason());
    }

    /**
     * The previous conditions untouched (they describe what was last reconciled, with their own
     * observedGeneration) plus {@code ReconciliationPaused=True}; its transition time is kept while
     * it stays paused.
     */
    public static List<Condition> pausedConditions(
            List<Condition> previous, long generation, Clock clock, String message) {
        Conditions paused = new Conditions(previous, generation, clock).set(CONDITION, true, PAUSED, message);
        List<Condition> next = new ArrayList<>();
        if (previous != null) {
            previous.stream().filter(c -> !CONDITION.equals(c.getType())).forEach(next::add);
        }
        next.addAll(paused.build());
        return List.copyOf(next);
    }
}
