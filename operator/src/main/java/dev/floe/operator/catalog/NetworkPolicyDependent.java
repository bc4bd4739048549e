package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Admits only the listed namespaces and pods (plus the catalog's own rotation Jobs) to the
 * catalog port, when spec.networkPolicy.enabled.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class NetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, IcebergCatalog> {

    @Override
    protected NetworkPolicy desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        NetworkPolicySpec spec = catalog.getSpec().networkPolicy();
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        peers.add(new NetworkPolicyPeerBuilder()
                .withPodSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of(
                                CatalogNames.CATALOG_LABEL,
                                catalog.getMetadata().getName()))
                        .build())
                .build());
        if (spec.allowedNamespaces() != null) {
            for (String ns : spec.allowedNamespaces()) {
                peers.add(new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(new LabelSelectorBuilder()
                                .withMatchLabels(Map.of("kubernetes.io/metadata.name", ns))
                                .build())
                        .build());
            }
        }
        if (spec.allowedPodSelectors() != null) {
            spec.allowedPodSelectors()
                    .forEach(s -> peers.add(
                            new NetworkPolicyPeerBuilder().withPodSelector(s).build()));
        }
        return new NetworkPolicyBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.deployment(catalog), "catalog"))
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(CatalogNames.selector(catalog))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(peers)
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(CatalogNames.port(catalog)))
                .endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
