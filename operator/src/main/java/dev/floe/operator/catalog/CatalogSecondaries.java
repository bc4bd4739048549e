package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import dev.floe.operator.kms.KmsCredentialKeys;
import dev.floe.operator.secrets.ReferencedSecrets;
import dev.floe.operator.status.Pausing;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the resources an IcebergCatalog depends on from the reconciler's caches: its KmsBinding
 * (informer), the Secrets the operator made (an informer on the operator's label) and the Secrets
 * the catalog or its binding name ({@link ReferencedSecrets}, polled by name). The API server is
 * asked directly only for a named Secret the last poll did not return (missing, or newly named).
 */
public final class CatalogSecondaries {
    public static final String BINDINGS = "kms-bindings";
    /** Secrets the operator made (admin key, self-signed TLS): label {@link CatalogNames#MANAGED_SELECTOR}. */
    public static final String OWNED_SECRETS = "owned-secrets";
    /** Secrets the catalog or its binding name (TLS unless self-signed, PostgreSQL, S3, KMS), polled by name. */
    public static final String REFERENCED_SECRETS = "referenced-secrets";

    public static final String JOBS = "rotation-jobs";
    /** The informer of the catalog's backup Jobs (label floe.dev/backup). */
    public static final String BACKUP_JOBS = "backup-jobs";

    private CatalogSecondaries() {}

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

    /** A Secret in the catalog's namespace: one the operator made, else one the catalog or its binding names. */
    @SuppressWarnings("unchecked")
    public static Optional<Secret> secret(String name, IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (name == null) {
            return Optional.empty();
        }
        var owned = (InformerEventSource<Secret, IcebergCatalog>)
                context.eventSourceRetriever().getEventSourceFor(Secret.class, OWNED_SECRETS);
        Optional<Secret> made =
                owned.get(new ResourceID(name, catalog.getMetadata().getNamespace()));
        return made.isPresent() ? made : ReferencedSecrets.get(REFERENCED_SECRETS, name, catalog, context);
    }

    /**
     * Names of the Secrets the catalog uses but the operator does not make: its TLS Secret unless
     * self-signed (the user's, or cert-manager's), the PostgreSQL and S3 credentials, and the
     * credentials Secret of its KmsBinding.
     */
    public static List<String> referencedSecrets(IcebergCatalog catalog, KmsBinding binding) {
        List<String> names = new ArrayList<>();
        if (catalog.getSpec() == null) {
            return names;
        }
        if (TlsSpec.modeOf(catalog.getSpec().tls()) != TlsSpec.Mode.SELF_SIGNED) {
            names.add(CatalogNames.tlsSecret(catalog));
        }
        if (catalog.getSpec().storage() != null && catalog.getSpec().storage().postgres() != null) {
            names.add(catalog.getSpec().storage().postgres().credentialsSecret());
        }
        if (catalog.getSpec().warehouse() != null
                && catalog.getSpec().warehouse().credentialsSecret() != null) {
            names.add(catalog.getSpec().warehouse().credentialsSecret());
        }
        if (binding != null && binding.getSpec() != null && KmsCredentialKeys.secretName(binding.getSpec()) != null) {
            names.add(KmsCredentialKeys.secretName(binding.getSpec()));
        }
        return names;
    }

    /** The TLS Secret, if it exists and has a certificate and key. */
    public static Optional<Secret> tlsSecret(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return secret(CatalogNames.tlsSecret(catalog), catalog, context).filter(s -> hasKeys(s, "tls.crt", "tls.key"));
    }

    public static boolean hasKeys(Secret secret, String... keys) {
        for (String key : keys) {
            boolean inData = secret.getData() != null
                    && secret.getData().get(key) != null
                    && !secret.getData().get(key).isEmpty();
            boolean inString =
                    secret.getStringData() != null && secret.getStringData().get(key) != null;
            if (!inData && !inString) {
                return false;
            }
        }
        return true;
    }
}
