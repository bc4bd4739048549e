package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogStatus;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import dev.floe.operator.kms.KmsCredentialKeys;
import dev.floe.operator.monitoring.ServiceMonitor;
import dev.floe.operator.status.Conditions;
import dev.floe.operator.status.Pausing;
import dev.floe.operator.status.ReconcileFailure;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.util.List;

/**
 * Turns what the reconciler observed into an {@link IcebergCatalogStatus}: the conditions Ready,
 * TLSReady, KmsReady, StorageReady and Degraded with CamelCase reasons and messages that say what
 * to do. Pure, so the same observation always yields an equal status (and no write).
 */
public final class CatalogStatusBuilder {
    public static final String READY = "Ready";
    public static final String TLS_READY = "TLSReady";
    public static final String KMS_READY = "KmsReady";
    public static final String STORAGE_READY = "StorageReady";
    public static final String DEGRADED = "Degraded";
    /** Only present while spec.monitoring.serviceMonitor.enabled; never holds Ready back. */
    public static final String MONITORING_READY = "MonitoringReady";

    /** Everything the status depends on, read from informer caches. */
    public record Observed(
            KmsBinding binding,
            Deployment deployment,
            boolean certManagerInstalled,
            Certificate certificate,
            boolean tlsSecretPresent,
            Boolean postgresCredentialsPresent,
            PersistentVolumeClaim dataClaim,
            RotationJobs.Result lastRotation,
            List<String> rotateNowJobs,
            Boolean serviceMonitorCrdPresent,
            IcebergCatalogStatus.BackupStatus backup) {}

    /** The new status plus the conditions that changed (each becomes an event). */
    public record Result(IcebergCatalogStatus status, List<Condition> changedConditions) {}

    private final Clock clock;
    private final CatalogImage image;

    public CatalogStatusBuilder(Clock clock, CatalogImage image) {
        this.clock = clock;
        this.image = image;
    }

    public Result build(IcebergCatalog catalog, Observed o) {
        IcebergCatalogStatus previous = catalog.getStatus();
        Conditions conditions = new Conditions(
                previous == null ? null : previous.conditions(),
                catalog.getMetadata().getGeneration() == null
                        ? 0
                        : catalog.getMetadata().getGeneration(),
                clock);
        String ns = catalog.getMetadata().getNamespace();

        tls(catalog, o, conditions, ns);
        kms(catalog, o, conditions, ns);
        storage(catalog, o, conditions);
        ready(catalog, o, conditions);
        degraded(o, conditions);
        monitoring(catalog, o, conditions);
        if (Pausing.isPaused(o.binding())) {
            conditions.set(
                    Pausing.CONDITION,
                    true,
                    "KmsBindingPaused",
                    "KmsBinding " + catalog.getSpec().kms().bindingRef()
                            + " is paused (" + Pausing.ANNOTATION
                            + "): the operator keeps this catalog's ServiceAccount, ConfigMap,"
                            + " Deployment and rotation CronJob as they are (changes to the catalog or the binding wait; a catalog"
                            + " without them does not start) and starts no rotation the binding requests, until it is resumed");
        }

        Integer readyReplicas = o.deployment() == null || o.deployment().getStatus() == null
                ? null
                : o.deployment().getStatus().getReadyReplicas();
        var encryption = new IcebergCatalogStatus.EncryptionStatus(
                catalog.getSpec().kms().bindingRef(),
                o.binding() == null || o.binding().getSpec() == null
                        ? null
                        : KmsCredentialKeys.keyIdentity(o.binding().getSpec()),
                o.lastRotation() == null ? null : o.lastRotation().finishedAt(),
                o.lastRotation() == null ? null : (o.lastRotation().succeeded() ? "Succeeded" : "Failed"),
                o.lastRotation() == null ? null : o.lastRotation().jobName(),
                o.rotateNowJobs().isEmpty() ? null : List.copyOf(o.rotateNowJobs()));
        var status = new IcebergCatalogStatus(
                catalog.getMetadata().getGeneration(),
                conditions.build(),
                CatalogNames.endpoint(catalog),
                CatalogNames.adminKeySecret(catalog),
                readyReplicas == null ? 0 : readyReplicas,
                image.resolve(catalog.getSpec()),
                encryption,
                o.backup());
        return new Result(status, conditions.changed());
    }

    /**
     * The status after a failed reconcile: the previous one with Ready=False and Degraded=True, with
     * the failure's reason (ReconcileFailed, or what a blocked dependent said) and message.
     */
    public IcebergCatalogStatus failed(IcebergCatalog catalog, ReconcileFailure failure) {
        IcebergCatalogStatus previous = catalog.getStatus();
        List<Condition> old = previous == null || previous.conditions() == null ? List.of() : previous.conditions();
        Conditions conditions = new Conditions(
                old,
                catalog.getMetadata().getGeneration() == null
                        ? 0
                        : catalog.getMetadata().getGeneration(),
                clock);
        conditions.set(READY, false, failure.reason(), failure.message());
        for (Condition c : old) {
            if (!READY.equals(c.getType()) && !DEGRADED.equals(c.getType())) {
                conditions.set(c.getType(), Conditions.TRUE.equals(c.getStatus()), c.getReason(), c.getMessage());
            }
        }
        conditions.set(DEGRADED, true, failure.reason(), failure.message());
        return new IcebergCatalogStatus(
                previous == null ? null : previous.observedGeneration(),
                conditions.build(),
                CatalogNames.endpoint(catalog),
                CatalogNames.adminKeySecret(catalog),
                previous == null ? 0 : previous.readyReplicas(),
                image.resolve(catalog.getSpec()),
                previous == null ? null : previous.encryption(),
                previous == null ? null : previous.backup());
    }

    private static void tls(IcebergCatalog catalog, Observed o, Conditions c, String ns) {
        String secret = CatalogNames.tlsSecret(catalog);
        switch (TlsSpec.modeOf(catalog.getSpec().tls())) {
            case CERT_MANAGER -> {
                if (!o.certManagerInstalled()) {
                    c.set(
                            TLS_READY,
                            false,
                            "CertManagerNotInstalled",
                            "spec.tls.issuerRef needs cert-manager, but the CRD certificates.cert-manager.io is not installed: "
                                    + "install cert-manager, or use spec.tls.secretName or spec.tls.selfSigned");
                } else if (o.tlsSecretPresent() && certificateReady(o.certificate())) {
                    c.set(
                            TLS_READY,
                            true,
                            "CertificateIssued",
                            "cert-manager issued Certificate " + secret + " into Secret " + secret);
                } else {
                    c.set(
                            TLS_READY,
                            false,
                            "CertificatePending",
                            "Waiting for cert-manager to issue Certificate " + secret + " (kubectl -n " + ns
                                    + " describe certificate " + secret + ")");
                }
            }
            case SECRET -> {
                if (o.tlsSecretPresent()) {
                    c.set(TLS_READY, true, "SecretFound", "Serving the certificate from Secret " + secret);
                } else {
                    c.set(
                            TLS_READY,
                            false,
                            "SecretNotFound",
                            "Create Secret " + secret + " in namespace " + ns
                                    + " with keys tls.crt and tls.key (and ca.crt for clients)");
                }
            }
            case SELF_SIGNED -> {
                if (o.tlsSecretPresent()) {
                    c.set(
                            TLS_READY,
                            true,
                            "SelfSignedIssued",
                            "Serving an operator-generated development certificate from Secret " + secret
                                    + "; use spec.tls.issuerRef or spec.tls.secretName in production");
                } else {
                    c.set(
                            TLS_READY,
                            false,
                            "SelfSignedPending",
                            "Generating the development certificate Secret " + secret);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static boolean certificateReady(Certificate certificate) {
        return certificate != null
                && certificate.getStatus() != null
                && certificate.getStatus().getConditions() != null
                && certificate.getStatus().getConditions().stream()
                        .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    }

    private static void kms(IcebergCatalog catalog, Observed o, Conditions c, String ns) {
        String name = catalog.getSpec().kms().bindingRef();
        KmsBinding binding = o.binding();
        if (binding == null) {
            c.set(
                    KMS_READY,
                    false,
                    "KmsBindingNotFound",
                    "Create KmsBinding " + name + " in namespace " + ns
                            + ", or point spec.kms.bindingRef at an existing one. Until then the operator keeps the catalog's"
                            + " ServiceAccount, ConfigMap, Deployment and rotation CronJob as they are (running pods keep their"
                            + " last configuration, spec changes wait) and starts no catalog that has none");
            return;
        }
        var status = binding.getStatus();
        Condition credentials = status == null ? null : Conditions.find(status.conditions(), "CredentialsFound");
        Condition ready = status == null ? null : Conditions.find(status.conditions(), "Ready");
        if (credentials != null && !Conditions.TRUE.equals(credentials.getStatus())) {
            c.set(KMS_READY, false, "KmsCredentialsMissing", "KmsBinding " + name + ": " + credentials.getMessage());
        } else if (ready == null || !Conditions.TRUE.equals(ready.getStatus())) {
            c.set(
                    KMS_READY,
                    false,
                    "KmsBindingNotReady",
                    "KmsBinding " + name + " is not Ready yet (kubectl -n " + ns + " describe kmsbinding " + name
                            + ")");
        } else {
            c.set(
                    KMS_READY,
                    true,
                    "KmsBindingReady",
                    "Data keys are wrapped by " + KmsCredentialKeys.keyIdentity(binding.getSpec()) + " (KmsBinding "
                            + name + ")");
        }
    }

    private static void storage(IcebergCatalog catalog, Observed o, Conditions c) {
        var storage = catalog.getSpec().storage();
        if (storage.usesEmbedded()) {
            String claim = CatalogNames.dataClaim(catalog);
            String phase = o.dataClaim() == null || o.dataClaim().getStatus() == null
                    ? null
                    : o.dataClaim().getStatus().getPhase();
            Quantity capacity =
                    "Bound".equals(phase) && o.dataClaim().getStatus().getCapacity() != null
                            ? o.dataClaim().getStatus().getCapacity().get("storage")
                            : null;
            Quantity wanted = new Quantity(storage.embedded().sizeOrDefault());
            if (capacity != null && wanted.getNumericalAmount().compareTo(capacity.getNumericalAmount()) > 0) {
                c.set(
                        STORAGE_READY,
                        true,
                        "VolumeResizing",
                        "PersistentVolumeClaim " + claim + " is growing from " + capacity
                                + " to " + wanted
                                + "; if it stays here, check that its StorageClass allows volume expansion"
                                + " (kubectl describe pvc " + claim + ")");
            } else if ("Bound".equals(phase)) {
                c.set(
                        STORAGE_READY,
                        true,
                        "VolumeBound",
                        "The embedded database lives on PersistentVolumeClaim " + claim);
            } else {
                c.set(
                        STORAGE_READY,
                        false,
                        "VolumeClaimPending",
                        "PersistentVolumeClaim " + claim + " is not bound yet: check that "
                                + "its StorageClass exists and can provision volumes (kubectl describe pvc " + claim
                                + ")");
            }
        } else if (Boolean.TRUE.equals(o.postgresCredentialsPresent())) {
            c.set(
                    STORAGE_READY,
                    true,
                    "PostgresConfigured",
                    "Metadata is stored in PostgreSQL with the credentials of Secret "
                            + storage.postgres().credentialsSecret());
        } else {
            c.set(
                    STORAGE_READY,
                    false,
                    "PostgresCredentialsMissing",
                    "Create Secret " + storage.postgres().credentialsSecret()
                            + " with keys username and password for the PostgreSQL database");
        }
    }

    private static void ready(IcebergCatalog catalog, Observed o, Conditions c) {
        int wanted = catalog.getSpec().storage().usesEmbedded()
                ? Math.min(1, catalog.getSpec().replicasOrDefault())
                : catalog.getSpec().replicasOrDefault();
        Condition blocking = c.build().stream()
                .filter(x -> !Conditions.TRUE.equals(x.getStatus()))
                .findFirst()
                .orElse(null);
        int ready = o.deployment() == null
                        || o.deployment().getStatus() == null
                        || o.deployment().getStatus().getReadyReplicas() == null
                ? 0
                : o.deployment().getStatus().getReadyReplicas();
        if (o.deployment() == null) {
            c.set(
                    READY,
                    false,
                    "DeploymentPending",
                    blocking != null
                            ? "The Deployment waits for " + blocking.getType() + ": " + blocking.getMessage()
                            : Pausing.isPaused(o.binding())
                                    ? "The Deployment waits for KmsBinding "
                                            + catalog.getSpec().kms().bindingRef() + " to be resumed ("
                                            + Pausing.ANNOTATION + ")"
                                    : "Creating the catalog Deployment");
        } else if (wanted == 0) {
            c.set(READY, false, "ScaledToZero", "spec.replicas is 0: set it to 1 or more to serve the catalog");
        } else if (blocking != null) {
            c.set(READY, false, blocking.getReason(), blocking.getMessage());
        } else if (ready < wanted) {
            c.set(
                    READY,
                    false,
                    "PodsNotReady",
                    ready + " of " + wanted + " catalog pods are ready (kubectl get pods -l "
                            + "app.kubernetes.io/instance="
                            + catalog.getMetadata().getName() + ")");
        } else {
            c.set(READY, true, "CatalogReady", "The catalog serves " + CatalogNames.endpoint(catalog));
        }
    }

    /** Null serviceMonitorCrdPresent: no ServiceMonitor asked for, no condition. */
    private static void monitoring(IcebergCatalog catalog, Observed o, Conditions c) {
        if (o.serviceMonitorCrdPresent() == null) {
            return;
        }
        String name = CatalogNames.service(catalog);
        if (o.serviceMonitorCrdPresent()) {
            c.set(
                    MONITORING_READY,
                    true,
                    "ServiceMonitorCreated",
                    "ServiceMonitor " + name + " tells Prometheus to scrape " + CatalogNames.endpoint(catalog)
                            + "/metrics");
        } else {
            c.set(
                    MONITORING_READY,
                    false,
                    "PrometheusOperatorNotInstalled",
                    "spec.monitoring.serviceMonitor.enabled needs the CRD "
                            + ServiceMonitor.CRD
                            + " (prometheus-operator), which is not installed: install it (the operator notices"
                            + " within a minute) or set enabled to false. The catalog itself is not affected");
        }
    }

    private static void degraded(Observed o, Conditions c) {
        if (o.lastRotation() != null && !o.lastRotation().succeeded()) {
            c.set(
                    DEGRADED,
                    true,
                    "RotationFailed",
                    "Key rotation Job " + o.lastRotation().jobName() + " failed: read its logs (kubectl logs job/"
                            + o.lastRotation().jobName() + ")");
            return;
        }
        Deployment d = o.deployment();
        if (d != null && d.getStatus() != null && d.getStatus().getConditions() != null) {
            for (var dc : d.getStatus().getConditions()) {
                boolean stuck = "Progressing".equals(dc.getType()) && "False".equals(dc.getStatus());
                boolean failure = "ReplicaFailure".equals(dc.getType()) && "True".equals(dc.getStatus());
                if (stuck || failure) {
                    c.set(
                            DEGRADED,
                            true,
                            "DeploymentFailing",
                            "Deployment " + d.getMetadata().getName() + ": " + dc.getMessage());
                    return;
                }
            }
        }
        c.set(DEGRADED, false, "AsExpected", "No problem detected");
    }
}
