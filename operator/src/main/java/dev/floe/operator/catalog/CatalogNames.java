package dev.floe.operator.catalog;

import dev.floe.contract.CatalogPod;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.ServiceSpec;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names, labels and mount paths of everything the operator makes for one IcebergCatalog, in one
 * place so dependents, the rotation Jobs and the tests agree on them.
 */
public final class CatalogNames {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "floe-operator";
    /** Label selector every operator-made object carries; dependents' informers watch only these. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    public static final String CATALOG_LABEL = "floe.dev/catalog";
    public static final String ROTATION_LABEL = "floe.dev/rotation";
    public static final String ROTATE_NOW = "floe.dev/rotate-now";
    public static final String SECRETS_HASH = "floe.dev/secrets-hash";
    public static final String CONFIG_HASH = "floe.dev/config-hash";
    /** Label on a data claim that outlives its catalog (spec.storage.embedded.deleteClaim false). */
    public static final String RETAINED_LABEL = "floe.dev/retained";

    // Mount paths and file names come from the operator-catalog contract (module contract/).
    public static final String CONFIG_DIR = CatalogPod.CONFIG_DIR;
    public static final String CONFIG_FILE = CatalogPod.CONFIG_FILE;
    public static final String TLS_DIR = CatalogPod.TLS_DIR;
    public static final String ADMIN_DIR = CatalogPod.ADMIN_DIR;
    public static final String ADMIN_KEY = CatalogPod.ADMIN_KEY;
    public static final String KMS_DIR = CatalogPod.KMS_DIR;
    public static final String DATA_DIR = CatalogPod.DATA_DIR;

    private CatalogNames() {}

    public static String serviceAccount(IcebergCatalog c) {
        return c.getMetadata().getName() + "-catalog";
    }

    public static String configMap(IcebergCatalog c) {
        return c.getMetadata().getName() + "-config";
    }

    public static String adminKeySecret(IcebergCatalog c) {
        return c.getMetadata().getName() + "-admin-key";
    }

    public static String certificate(IcebergCatalog c) {
        return c.getMetadata().getName() + "-tls";
    }

    public static String selfSignedSecret(IcebergCatalog c) {
        return c.getMetadata().getName() + "-selfsigned-tls";
    }

    /** The Secret holding tls.crt/tls.key for the catalog, whichever way it is made. */
    public static String tlsSecret(IcebergCatalog c) {
        return switch (TlsSpec.modeOf(c.getSpec().tls())) {
            case CERT_MANAGER -> certificate(c);
            case SECRET -> c.getSpec().tls().secretName();
            case SELF_SIGNED -> selfSignedSecret(c);
        };
    }

    public static String service(IcebergCatalog c) {
        return c.getMetadata().getName();
    }

    public static String deployment(IcebergCatalog c) {
        return c.getMetadata().getName();
    }

    public static String dataClaim(IcebergCatalog c) {
        return c.getMetadata().getName() + "-data";
    }

    public static String cronJob(IcebergCatalog c) {
        return c.getMetadata().getName() + "-rotate-keys";
    }

    public static int port(IcebergCatalog c) {
        return ServiceSpec.portOf(c.getSpec().service());
    }

    /** The DNS names a client inside the cluster may use for the catalog (certificate SANs). */
    public static java.util.List<String> dnsNames(IcebergCatalog c) {
        String svc = service(c);
        String ns = c.getMetadata().getNamespace();
        return java.util.List.of(svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local");
    }

    public static String endpoint(IcebergCatalog c) {
        return "https://" + service(c) + "." + c.getMetadata().getNamespace() + ".svc:" + port(c);
    }

    /** Labels that select the catalog's pods; stable for the Deployment's immutable selector. */
    public static Map<String, String> selector(IcebergCatalog c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "floe-catalog");
        labels.put("app.kubernetes.io/instance", c.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> labels(IcebergCatalog c, String component) {
        Map<String, String> labels = new LinkedHashMap<>(selector(c));
        labels.put("app.kubernetes.io/component", component);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(CATALOG_LABEL, c.getMetadata().getName());
        return labels;
    }

    /**
     * The metadata of an object the operator makes for a catalog: its name, the catalog's namespace
     * and its labels (which carry {@link #MANAGED_SELECTOR}, so the dependents' informers see it).
     */
    public static ObjectMeta metadata(IcebergCatalog c, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(c.getMetadata().getNamespace())
                .withLabels(labels)
                .build();
    }

    /** {@link #metadata(IcebergCatalog, String, Map)} with the catalog's {@link #labels} for a component. */
    public static ObjectMeta metadata(IcebergCatalog c, String name, String component) {
        return metadata(c, name, labels(c, component));
    }
}
