package dev.floe.operator.caches;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.ArrayList;
import java.util.Set;

/**
 * An informer cache that keeps each object without {@code metadata.managedFields}: the server-side
 * apply bookkeeping, a map of every field each manager set, which is about as large as the object
 * itself and which the operator never reads for these objects.
 *
 * <p>Only for informers whose objects nobody matches with server-side apply: the primary
 * IcebergCatalogs and KmsBindings, the secondary informers on them, on the operator's own Secrets
 * (the admin key is create-only, the self-signed TLS Secret has its own matcher) and on Jobs.
 * Never for a dependent that JOSDK's {@code SSABasedGenericKubernetesResourceMatcher} compares:
 * that matcher reads the operator's managedFields entry of the cached object, and without it every
 * reconcile would apply the object again.
 *
 * <p>JOSDK gives one configured store to every informer of an event source, one informer per
 * watched namespace, and Fabric8 removes from a store whatever a relist of one namespace does not
 * return; so a store is used only when there is a single informer (all namespaces, or exactly one),
 * see {@link #forNamespaces}. The objects are stripped in place: Fabric8 hands the same object to
 * the event handlers, which read no managedFields either.
 */
public final class WithoutManagedFields<R extends HasMetadata> extends BasicItemStore<R> {

    /** Keyed as Fabric8's default store is: namespace/name. */
    public WithoutManagedFields() {
        super(Cache::metaNamespaceKeyFunc);
    }

    /**
     * A new store for an event source on {@code namespaces} as JOSDK gives them (one name, or its
     * one marker for all namespaces or the current one), or null, Fabric8's default store, when
     * they are several and the event source gets one informer each.
     */
    public static <R extends HasMetadata> ItemStore<R> forNamespaces(Set<String> namespaces) {
        return namespaces.size() == 1 ? new WithoutManagedFields<>() : null;
    }

    /** {@link #forNamespaces} for an event source of the controller {@code context} belongs to. */
    public static <R extends HasMetadata> ItemStore<R> forEventSource(EventSourceContext<?> context) {
        return forNamespaces(context.getControllerConfiguration().getEffectiveNamespaces());
    }

    @Override
    public R put(String key, R obj) {
        strip(obj);
        return super.put(key, obj);
    }

    /** Drops the object's managedFields in place, for objects the operator only reads. */
    public static void strip(HasMetadata obj) {
        var metadata = obj.getMetadata();
        if (metadata != null
                && metadata.getManagedFields() != null
                && !metadata.getManagedFields().isEmpty()) {
            // A fresh empty list, as Fabric8 gives an object that came without managedFields.
            metadata.setManagedFields(new ArrayList<>());
        }
    }
}
