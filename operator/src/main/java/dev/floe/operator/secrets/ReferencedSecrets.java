package dev.floe.operator.secrets;

import dev.floe.operator.caches.WithoutManagedFields;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets a resource names but the operator does not own (the user's TLS, PostgreSQL, S3 and
 * KMS credentials Secrets), read by name for each resource every poll interval: a Secret that
 * appears, changes or goes away triggers a reconcile of the resources naming it, and the operator
 * holds exactly these Secrets in memory.
 *
 * <p>Why polling rather than an informer: an informer can only be narrowed by namespace, label or
 * field, and the operator knows these Secrets by name only. An unfiltered Secret informer (what
 * this replaces) caches every Secret of every watched namespace, other applications' included.
 * Keycloak's operator narrows its informer by labelling the Secrets its resources reference; that
 * means patching Secrets that belong to the user, to GitOps tools or to secret controllers
 * (External Secrets, Sealed Secrets), which may strip the label again, and a Secret created after
 * the resource is not seen until a later reconcile labels it. Strimzi's cluster operator instead reads
 * user-provided Secrets when it reconciles, on a timer (every 2 minutes by default), and never
 * watches or modifies them; this is that approach, per resource, with JOSDK's
 * {@link PerResourcePollingEventSource}. The price is a delay of up to one interval before a
 * changed credential rolls the pods, and one GET per referenced Secret per interval.
 */
public final class ReferencedSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(ReferencedSecrets.class);

    private ReferencedSecrets() {}

    /**
     * An event source named {@code name} that reads, every {@code period}, the Secrets in a
     * primary's namespace that {@code names} lists for it. A Secret that cannot be read (an API
     * error) keeps its last known state, so a passing outage neither rolls pods nor stops polling.
     */
    public static <P extends HasMetadata> PerResourcePollingEventSource<Secret, P, ResourceID> eventSource(
            String name, EventSourceContext<P> context, Function<P, Collection<String>> names, Duration period) {
        AtomicReference<PerResourcePollingEventSource<Secret, P, ResourceID>> self = new AtomicReference<>();
        PerResourcePollingEventSource.ResourceFetcher<Secret, P> fetcher = primary -> {
            String namespace = primary.getMetadata().getNamespace();
            Set<Secret> found = new HashSet<>();
            for (String secretName : new HashSet<>(names.apply(primary))) {
                if (secretName == null) {
                    continue;
                }
                try {
                    Secret secret = context.getClient()
                            .secrets()
                            .inNamespace(namespace)
                            .withName(secretName)
                            .get();
                    if (secret != null) {
                        // The user's Secret is only read: its server-side apply bookkeeping is not kept.
                        WithoutManagedFields.strip(secret);
                        found.add(secret);
                    }
                } catch (KubernetesClientException e) {
                    LOG.warn(
                            "Cannot read Secret {}/{} (HTTP {}); keeping its last known state",
                            namespace,
                            secretName,
                            e.getCode());
                    Map<ResourceID, Secret> cached =
                            self.get() == null ? null : self.get().getCache().get(ResourceID.fromResource(primary));
                    Secret previous = cached == null ? null : cached.get(new ResourceID(secretName, namespace));
                    if (previous != null) {
                        found.add(previous);
                    }
                }
            }
            return found;
        };
        var source = new PerResourcePollingEventSource<>(
                Secret.class,
                context,
                new PerResourcePollingConfigurationBuilder<Secret, P, ResourceID>(fetcher, period)
                        .withName(name)
                        .withResourceIDMapper(ResourceIDMapper.kubernetesResourceIdMapper())
                        .build());
        self.set(source);
        return source;
    }

    /**
     * The Secret {@code secretName} in the primary's namespace as last polled, or read now when the
     * last poll did not return it (it does not exist, or the primary has named it since then).
     */
    @SuppressWarnings("unchecked")
    public static <P extends HasMetadata> Optional<Secret> get(
            String sourceName, String secretName, P primary, Context<P> context) {
        var source = (PerResourcePollingEventSource<Secret, P, ResourceID>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, sourceName);
        Optional<Secret> polled = source.getSecondaryResources(primary).stream()
                .filter(s -> secretName.equals(s.getMetadata().getName()))
                .findFirst();
        if (polled.isPresent()) {
            return polled;
        }
        return Optional.ofNullable(context.getClient()
                .secrets()
                .inNamespace(primary.getMetadata().getNamespace())
                .withName(secretName)
                .get());
    }
}
