package dev.floe.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.ExternalResourceCachingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the running operator holds in memory: every Secret in the caches of every event source
 * (informers and polling sources) of every registered controller, read through JOSDK's own
 * classes, so a test or benchmark can say which Secrets the operator caches.
 */
public final class OperatorCaches {
    private OperatorCaches() {}

    /** "namespace/name" of each cached Secret, per event source ("controller/event source"). */
    public static Map<String, TreeSet<String>> secretsByEventSource(Operator operator) {
        Map<String, TreeSet<String>> result = new TreeMap<>();
        for (var registered : operator.getRegisteredControllers()) {
            Controller<?> controller = (Controller<?>) registered;
            for (EventSource<?, ?> source : controller.getEventSourceManager().allEventSources()) {
                if (source.resourceType() != Secret.class) {
                    continue;
                }
                TreeSet<String> names = new TreeSet<>();
                if (source instanceof ManagedInformerEventSource<?, ?, ?> informer) {
                    informer.keys().forEach(id -> names.add(id.getNamespace().orElse("") + "/" + id.getName()));
                } else if (source instanceof ExternalResourceCachingEventSource<?, ?, ?> polled) {
                    polled.getCache()
                            .values()
                            .forEach(byId -> byId.values().forEach(s -> {
                                Secret secret = (Secret) s;
                                names.add(secret.getMetadata().getNamespace() + "/"
                                        + secret.getMetadata().getName());
                            }));
                } else {
                    throw new IllegalStateException(
                            "unknown Secret event source " + source.name() + ": " + source.getClass());
                }
                result.put(registered.getConfiguration().getName() + "/" + source.name(), names);
            }
        }
        return result;
    }

    /** Every cached Secret, counted once per cache that holds it. */
    public static int cachedSecretCopies(Operator operator) {
        return secretsByEventSource(operator).values().stream()
                .mapToInt(TreeSet::size)
                .sum();
    }

    /**
     * The objects of {@code type} in every informer cache ("controller/event source"), the
     * controllers' caches of their primaries included; not JOSDK's short-lived copies of its own
     * writes, only what the informers keep.
     */
    public static <R extends HasMetadata> Map<String, List<R>> informerCaches(Operator operator, Class<R> type) {
        Map<String, List<R>> result = new TreeMap<>();
        for (var registered : operator.getRegisteredControllers()) {
            Controller<?> controller = (Controller<?>) registered;
            for (EventSource<?, ?> source : controller.getEventSourceManager().allEventSources()) {
                if (source.resourceType() == type && source instanceof ManagedInformerEventSource<?, ?, ?> informer) {
                    result.put(
                            registered.getConfiguration().getName() + "/" + source.name(),
                            informer.list(r -> true).map(type::cast).toList());
                }
            }
        }
        return result;
    }
}
