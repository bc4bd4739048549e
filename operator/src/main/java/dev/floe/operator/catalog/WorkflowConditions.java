package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.MonitoringSpec;
import dev.floe.operator.api.v1alpha1.NetworkPolicySpec;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The conditions that switch the IcebergCatalog workflow's optional dependents on and off. */
public final class WorkflowConditions {
    private WorkflowConditions() {}

    /** Self-signed TLS: spec.tls.selfSigned or no TLS source at all. */
    public static class SelfSignedTls implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return TlsSpec.modeOf(c.getSpec().tls()) == TlsSpec.Mode.SELF_SIGNED;
        }
    }

    /** cert-manager TLS: spec.tls.issuerRef is set. */
    public static class CertManagerTls implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return TlsSpec.modeOf(c.getSpec().tls()) == TlsSpec.Mode.CERT_MANAGER;
        }
    }

    public static class EmbeddedStorage implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return c.getSpec().storage().usesEmbedded();
        }
    }

    public static class SeveralReplicas implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return c.getSpec().replicasOrDefault() > 1;
        }
    }

    /** spec.backup is set. */
    public static class BackupScheduled implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return c.getSpec().backup() != null;
        }
    }

    public static class NetworkPolicyEnabled implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return NetworkPolicySpec.isEnabled(c.getSpec().networkPolicy());
        }
    }

    public static class ServiceMonitorEnabled implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return MonitoringSpec.serviceMonitorEnabled(c.getSpec().monitoring());
        }
    }

    /**
     * A rotation schedule exists on the bound KmsBinding. While the binding cannot be used, an
     * existing CronJob stays (it is a {@link BindingGatedDependent}: kept as it is, not deleted).
     */
    public static class RotationScheduled implements Condition<HasMetadata, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return CatalogSecondaries.usableBinding(c, ctx)
                    .map(b -> b.getSpec() != null
                            && b.getSpec().rotation() != null
                            && b.getSpec().rotation().schedule() != null)
                    .orElseGet(() -> d.getSecondaryResource(c, ctx).isPresent());
        }
    }

    /**
     * The Deployment waits until the TLS Secret exists (issued by cert-manager, provided by the
     * user or generated) and, for embedded storage, until the data claim is one the operator can
     * adopt (no pods on a claim it refused: {@link DataClaimAdoption#refusesToStartOn}). Once the
     * Deployment exists, neither a temporarily missing Secret nor a claim problem deletes it: JOSDK
     * deletes a dependent whose precondition is not met, and that would stop serving pods.
     */
    public static class PodsCanStart implements Condition<Deployment, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<Deployment, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return d.getSecondaryResource(c, ctx).isPresent()
                    || (CatalogSecondaries.tlsSecret(c, ctx).isPresent()
                            && !DataClaimAdoption.refusesToStartOn(c, ctx));
        }
    }

    /** Ready when every desired replica is available. */
    public static class DeploymentReady implements Condition<Deployment, IcebergCatalog> {
        @Override
        public boolean isMet(
                DependentResource<Deployment, IcebergCatalog> d, IcebergCatalog c, Context<IcebergCatalog> ctx) {
            return d.getSecondaryResource(c, ctx)
                    .map(dep -> {
                        int wanted = dep.getSpec().getReplicas() == null
                                ? 1
                                : dep.getSpec().getReplicas();
                        Integer ready =
                                dep.getStatus() == null ? null : dep.getStatus().getReadyReplicas();
                        return (ready == null ? 0 : ready) >= wanted;
                    })
                    .orElse(false);
        }
    }
}
