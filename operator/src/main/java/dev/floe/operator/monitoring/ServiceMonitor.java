package dev.floe.operator.monitoring;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * prometheus-operator's ServiceMonitor ({@code monitoring.coreos.com/v1}), as a typed handle for the
 * Fabric8 client and JOSDK (informer, server-side apply, the CRD-present check) with its spec kept
 * as plain maps: the operator writes a handful of fields, so a generated model of the whole kind
 * (and its dependency tree) would buy nothing. Not a CustomResource subclass, so the CRD generator
 * does not mistake it for one of Floe's own kinds.
 */
@Group(ServiceMonitor.GROUP)
@Version(ServiceMonitor.VERSION)
@Kind(ServiceMonitor.KIND)
@Plural("servicemonitors")
public final class ServiceMonitor extends GenericKubernetesResource implements Namespaced {
    public static final String GROUP = "monitoring.coreos.com";
    public static final String VERSION = "v1";
    public static final String KIND = "ServiceMonitor";
    /** The CRD whose presence means prometheus-operator (or a compatible agent) is installed. */
    public static final String CRD = "servicemonitors." + GROUP;

    public ServiceMonitor() {
        setApiVersion(GROUP + "/" + VERSION);
        setKind(KIND);
    }
}
