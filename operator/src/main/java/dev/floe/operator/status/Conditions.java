package dev.floe.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds status conditions the way the Kubernetes API conventions ask: a condition keeps its
 * previous {@code lastTransitionTime} unless its status really changed, so that a status rebuilt
 * on every reconcile compares equal to the stored one when nothing happened.
 */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private final List<Condition> previous;
    private final long generation;
    private final Clock clock;
    private final List<Condition> next = new ArrayList<>();

    public Conditions(List<Condition> previous, long generation, Clock clock) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.clock = clock;
    }

    /** Adds a condition; the reason must be CamelCase and the message must tell the user what to do. */
    public Conditions set(String type, boolean status, String reason, String message) {
        String statusText = status ? TRUE : FALSE;
        Condition old = find(previous, type);
        String transition = old != null && statusText.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }

    /** The conditions whose status, reason or message differ from before (for events). */
    public List<Condition> changed() {
        return next.stream()
                .filter(c -> {
                    Condition old = find(previous, c.getType());
                    return old == null
                            || !Objects.equals(old.getStatus(), c.getStatus())
                            || !Objects.equals(old.getReason(), c.getReason());
                })
                .toList();
    }

    public boolean isTrue(String type) {
        Condition c = find(next, type);
        return c != null && TRUE.equals(c.getStatus());
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
