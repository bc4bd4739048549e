package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.status.Pausing;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * Reads the resources an IcebergCatalog depends on but does not own (its KmsBinding and the
 * Secrets it or its binding name) from the reconciler's informer caches; never from the API
 * server directly, so a reconcile that changes nothing makes no request.
 */
public final class CatalogSecondaries {
    public static final String BINDINGS = "kms-bindings";
    public static final String SECRETS = "referenced-secrets";
    public static final String JOBS = "rotation-jobs";

    private CatalogSecondaries() {
    }

    public static Optional<KmsBinding> binding(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return context.getSecondaryResource(KmsBinding.class, BINDINGS);
    }

    /**
     * The binding, when the objects rendered from it may be created or changed: it exists and is not
     * paused ({@code floe.dev/pause-reconciliation}). Empty means {@link BindingGatedDependent}s keep
     * what they have (a missing binding would render a catalog without a {@code [kms]} section, which
     * cannot start; a paused one's changes wait until it is resumed).
     */
    public static Optional<KmsBinding> usableBinding(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return binding(catalog, context).filter(b -> !Pausing.isPaused(b));
    }

    @SuppressWarnings("unchecked")
    public static Optional<Secret> secret(String name, IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (name == null) {
            return Optional.empty();
        }
        var source = (InformerEventSource<Secret, IcebergCatalog>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, SECRETS);
        return source.get(new ResourceID(name, catalog.getMetadata().getNamespace()));
    }

    /** The TLS Secret, if it exists and has a certificate and key. */
    public static Optional<Secret> tlsSecret(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return secret(CatalogNames.tlsSecret(catalog), catalog, context)
                .filter(s -> hasKeys(s, "tls.crt", "tls.key"));
    }

    public static boolean hasKeys(Secret secret, String... keys) {
        for (String key : keys) {
            boolean inData = secret.getData() != null && secret.getData().get(key) != null && !secret.getData().get(key).isEmpty();
            boolean inString = secret.getStringData() != null && secret.getStringData().get(key) != null;
            if (!inData && !inString) {
                return false;
            }
        }
        return true;
    }
}
