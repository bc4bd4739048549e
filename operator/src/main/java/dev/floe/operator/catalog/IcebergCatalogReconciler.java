package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogStatus;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.MonitoringSpec;
import dev.floe.operator.api.v1alpha1.TlsSpec;
import dev.floe.operator.caches.WithoutManagedFields;
import dev.floe.operator.monitoring.MonitoringCrdPresent;
import dev.floe.operator.secrets.ReferencedSecrets;
import dev.floe.operator.status.EventRecorder;
import dev.floe.operator.status.Pausing;
import dev.floe.operator.status.ReconcileFailure;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles an IcebergCatalog: the JOSDK workflow below creates and updates the dependents with
 * server-side apply; this class then starts requested one-off rotation Jobs and writes the status
 * (only when it changed), with an event for each condition that changed. The workflow is invoked
 * explicitly, so that a catalog paused with {@code floe.dev/pause-reconciliation} gets nothing but
 * its ReconciliationPaused condition.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = "service-account", type = ServiceAccountDependent.class),
            @Dependent(name = "config", type = ConfigMapDependent.class),
            @Dependent(
                    name = "admin-key",
                    type = AdminKeySecretDependent.class,
                    useEventSourceWithName = CatalogSecondaries.OWNED_SECRETS),
            @Dependent(
                    name = "selfsigned-tls",
                    type = SelfSignedTlsSecretDependent.class,
                    useEventSourceWithName = CatalogSecondaries.OWNED_SECRETS,
                    reconcilePrecondition = WorkflowConditions.SelfSignedTls.class),
            @Dependent(
                    name = "certificate",
                    type = CertificateDependent.class,
                    activationCondition = CRDPresentActivationCondition.class,
                    reconcilePrecondition = WorkflowConditions.CertManagerTls.class),
            @Dependent(name = "service", type = ServiceDependent.class),
            @Dependent(
                    name = "data",
                    type = DataVolumeClaimDependent.class,
                    reconcilePrecondition = WorkflowConditions.EmbeddedStorage.class),
            @Dependent(
                    name = "deployment",
                    type = DeploymentDependent.class,
                    dependsOn = {"service-account", "config", "admin-key"},
                    reconcilePrecondition = WorkflowConditions.PodsCanStart.class,
                    readyPostcondition = WorkflowConditions.DeploymentReady.class),
            @Dependent(
                    name = "pdb",
                    type = PodDisruptionBudgetDependent.class,
                    reconcilePrecondition = WorkflowConditions.SeveralReplicas.class),
            @Dependent(
                    name = "network-policy",
                    type = NetworkPolicyDependent.class,
                    reconcilePrecondition = WorkflowConditions.NetworkPolicyEnabled.class),
            @Dependent(
                    name = "service-monitor",
                    type = ServiceMonitorDependent.class,
                    activationCondition = MonitoringCrdPresent.class,
                    reconcilePrecondition = WorkflowConditions.ServiceMonitorEnabled.class),
            @Dependent(
                    name = "rotation-cronjob",
                    type = RotationCronJobDependent.class,
                    dependsOn = {"admin-key", "service"},
                    reconcilePrecondition = WorkflowConditions.RotationScheduled.class),
            @Dependent(
                    name = "backup-cronjob",
                    type = BackupCronJobDependent.class,
                    dependsOn = {"config"},
                    reconcilePrecondition = WorkflowConditions.BackupScheduled.class),
        })
// Not generation-aware: the floe.dev/rotate-now annotation changes metadata only.
@ControllerConfiguration(name = "icebergcatalog", generationAwareEventProcessing = false)
public class IcebergCatalogReconciler implements Reconciler<IcebergCatalog> {
    static final String BY_BINDING = "byKmsBinding";
    private static final String CERT_MANAGER_CRD = "certificates.cert-manager.io";
    static final java.time.Duration BLOCKED_RECHECK = java.time.Duration.ofSeconds(30);

    private final EventRecorder events;
    private final Clock clock;
    private final CatalogImage image;
    private final CatalogStatusBuilder statusBuilder;
    private final java.time.Duration secretPollInterval;

    /**
     * {@code image} must be the one the workflow's dependents got from {@link CatalogDependentFactory};
     * {@code secretPollInterval} is how often the Secrets a catalog names are read again.
     */
    public IcebergCatalogReconciler(
            EventRecorder events, Clock clock, CatalogImage image, java.time.Duration secretPollInterval) {
        this.events = events;
        this.secretPollInterval = secretPollInterval;
        this.clock = clock;
        this.image = image;
        this.statusBuilder = new CatalogStatusBuilder(clock, image);
    }

    @Override
    public List<EventSource<?, IcebergCatalog>> prepareEventSources(EventSourceContext<IcebergCatalog> context) {
        context.getPrimaryCache()
                .addIndexers(Map.of(
                        BY_BINDING,
                        c -> List.of(indexKey(
                                c.getMetadata().getNamespace(),
                                c.getSpec().kms().bindingRef()))));

        var bindings = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(KmsBinding.class, IcebergCatalog.class)
                        .withName(CatalogSecondaries.BINDINGS)
                        .withSecondaryToPrimaryMapper(b -> catalogsBoundTo(
                                context,
                                b.getMetadata().getNamespace(),
                                b.getMetadata().getName()))
                        .withPrimaryToSecondaryMapper((IcebergCatalog c) -> Set.of(new ResourceID(
                                c.getSpec().kms().bindingRef(), c.getMetadata().getNamespace())))
                        .withItemStore(WithoutManagedFields.forEventSource(context))
                        .build(),
                context);

        // Only Secrets the operator made (its label), shared by the admin-key and self-signed TLS
        // dependents, so each is cached once; never every Secret in the cluster.
        var ownedSecrets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, IcebergCatalog.class)
                        .withName(CatalogSecondaries.OWNED_SECRETS)
                        .withLabelSelector(CatalogNames.MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(IcebergCatalog.class))
                        .withItemStore(WithoutManagedFields.forEventSource(context))
                        .build(),
                context);
        // The user's Secrets are polled by name, per catalog (ReferencedSecrets says why).
        var referencedSecrets = ReferencedSecrets.eventSource(
                CatalogSecondaries.REFERENCED_SECRETS,
                context,
                (IcebergCatalog c) -> CatalogSecondaries.referencedSecrets(
                        c,
                        bindings.get(new ResourceID(
                                        c.getSpec().kms().bindingRef(),
                                        c.getMetadata().getNamespace()))
                                .orElse(null)),
                secretPollInterval);

        var jobs = jobsOfCatalogs(CatalogSecondaries.JOBS, CatalogNames.ROTATION_LABEL, context);
        var backupJobs = jobsOfCatalogs(CatalogSecondaries.BACKUP_JOBS, BackupJobs.BACKUP_LABEL, context);
        return List.of(bindings, ownedSecrets, referencedSecrets, jobs, backupJobs);
    }

    /**
     * An informer on the Jobs with {@code label} (rotation or backup), each mapped to its catalog by
     * the {@link CatalogNames#CATALOG_LABEL} it carries: a one-off Job is owned by its catalog, a
     * CronJob's is not, so the label is what both have.
     */
    private static InformerEventSource<Job, IcebergCatalog> jobsOfCatalogs(
            String name, String label, EventSourceContext<IcebergCatalog> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Job.class, IcebergCatalog.class)
                        .withName(name)
                        .withLabelSelector(label)
                        .withSecondaryToPrimaryMapper(j -> {
                            String owner = j.getMetadata().getLabels().get(CatalogNames.CATALOG_LABEL);
                            return owner == null
                                    ? Set.of()
                                    : Set.of(new ResourceID(
                                            owner, j.getMetadata().getNamespace()));
                        })
                        .withItemStore(WithoutManagedFields.forEventSource(context))
                        .build(),
                context);
    }

    @Override
    public UpdateControl<IcebergCatalog> reconcile(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (Pausing.isPaused(catalog)) {
            reportPaused(catalog, context);
            return UpdateControl.noUpdate();
        }
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        Optional<KmsBinding> binding = CatalogSecondaries.binding(catalog, context);
        // both Job informers answer here: rotation and backup Jobs are told apart by their labels
        List<Job> allJobs = context.getSecondaryResources(Job.class).stream().toList();
        List<Job> jobs = allJobs.stream()
                .filter(j -> hasLabel(j, CatalogNames.ROTATION_LABEL))
                .toList();
        List<Job> backupJobs = allJobs.stream()
                .filter(j -> hasLabel(j, BackupJobs.BACKUP_LABEL))
                .toList();
        IcebergCatalogStatus previous = catalog.getStatus();

        List<String> startedJobs = startRequestedRotations(catalog, binding.orElse(null), jobs, previous, context);

        boolean wantsCertManager = TlsSpec.modeOf(catalog.getSpec().tls()) == TlsSpec.Mode.CERT_MANAGER;
        // Same check (and cache) as the Certificate dependent's activation condition.
        boolean certManagerInstalled = wantsCertManager
                && new CRDPresentActivationCondition<Certificate, IcebergCatalog>()
                        .isMet(new CertificateDependent(), catalog, context);
        // Asked only when a ServiceMonitor is wanted; the same check (and cache) as the dependent's.
        Boolean monitoringInstalled = MonitoringSpec.serviceMonitorEnabled(
                        catalog.getSpec().monitoring())
                ? new MonitoringCrdPresent<IcebergCatalog>().isMet(new ServiceMonitorDependent(), catalog, context)
                : null;
        Optional<Certificate> certificate =
                certManagerInstalled ? context.getSecondaryResource(Certificate.class) : Optional.empty();

        var result = statusBuilder.build(
                catalog,
                new CatalogStatusBuilder.Observed(
                        binding.orElse(null),
                        context.getSecondaryResource(io.fabric8.kubernetes.api.model.apps.Deployment.class)
                                .orElse(null),
                        certManagerInstalled,
                        certificate.orElse(null),
                        CatalogSecondaries.tlsSecret(catalog, context).isPresent(),
                        catalog.getSpec().storage().postgres() == null
                                ? null
                                : CatalogSecondaries.secret(
                                                catalog.getSpec()
                                                        .storage()
                                                        .postgres()
                                                        .credentialsSecret(),
                                                catalog,
                                                context)
                                        .filter(s -> CatalogSecondaries.hasKeys(s, "username", "password"))
                                        .isPresent(),
                        context.getSecondaryResource(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class)
                                .orElse(null),
                        RotationJobs.latest(jobs).orElse(null),
                        startedJobs,
                        monitoringInstalled,
                        BackupJobs.status(
                                catalog,
                                previous == null ? null : previous.backup(),
                                backupJobs,
                                job -> podsOfJob(catalog, job, context))));

        for (Condition changed : result.changedConditions()) {
            if ("True".equals(changed.getStatus()) == !"Degraded".equals(changed.getType())) {
                events.normal(catalog, changed.getReason(), changed.getMessage());
            } else {
                events.warning(catalog, changed.getReason(), changed.getMessage());
            }
        }
        reportRotationResult(catalog, previous, result.status());
        reportBackupResult(catalog, previous, result.status());

        if (!Objects.equals(previous, result.status())) {
            patchStatus(catalog, result.status(), context);
        }
        if (previous != null && Pausing.wasPaused(previous.conditions())) {
            events.normal(
                    catalog,
                    Pausing.RESUMED,
                    Pausing.ANNOTATION + " was removed: the operator reconciles this catalog again");
        }
        UpdateControl<IcebergCatalog> control = UpdateControl.noUpdate();
        selfSignedRenewal(catalog, context).ifPresent(control::rescheduleAfter);
        if (Boolean.FALSE.equals(monitoringInstalled)) {
            // No event announces a CRD: look again, so installing prometheus-operator needs no restart.
            control.rescheduleAfter(selfSignedRenewal(catalog, context)
                    .filter(d -> d.compareTo(MonitoringCrdPresent.RECHECK) < 0)
                    .orElse(MonitoringCrdPresent.RECHECK));
        }
        return control;
    }

    /**
     * A paused catalog: only its ReconciliationPaused condition is added to the last status (written
     * once), with an event. observedGeneration stays where it was, so it shows what was last acted on.
     */
    private void reportPaused(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        IcebergCatalogStatus previous = catalog.getStatus();
        long generation = catalog.getMetadata().getGeneration() == null
                ? 0
                : catalog.getMetadata().getGeneration();
        var conditions = Pausing.pausedConditions(
                previous == null ? null : previous.conditions(),
                generation,
                clock,
                Pausing.ANNOTATION
                        + " is \"true\": the operator changes nothing for this catalog (its objects are neither"
                        + " created, updated nor deleted, no rotation Job starts, the status keeps its last values) until the"
                        + " annotation is removed");
        IcebergCatalogStatus status = previous == null
                ? new IcebergCatalogStatus(null, conditions, null, null, null, null, null, null)
                : new IcebergCatalogStatus(
                        previous.observedGeneration(),
                        conditions,
                        previous.endpoint(),
                        previous.adminKeySecret(),
                        previous.readyReplicas(),
                        previous.image(),
                        previous.encryption(),
                        previous.backup());
        if (!Objects.equals(previous, status)) {
            patchStatus(catalog, status, context);
        }
        if (previous == null || !Pausing.wasPaused(previous.conditions())) {
            events.normal(
                    catalog,
                    Pausing.PAUSED,
                    Pausing.CONDITION + ": " + Pausing.ANNOTATION + " is \"true\"; remove it to resume");
        }
    }

    /**
     * How long until the operator's self-signed certificate is due for renewal, so a reconcile
     * happens then without any other event (at least 5 s apart, at most JOSDK's 10 h default).
     */
    static Optional<java.time.Duration> selfSignedRenewal(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        if (TlsSpec.modeOf(catalog.getSpec().tls()) != TlsSpec.Mode.SELF_SIGNED) {
            return Optional.empty();
        }
        return CatalogSecondaries.secret(CatalogNames.selfSignedSecret(catalog), catalog, context)
                .flatMap(s -> SelfSignedTlsSecretDependent.renewalTime(s, catalog))
                .map(t -> java.time.Duration.between(java.time.Instant.now(), t).plusSeconds(1))
                .map(d -> d.compareTo(java.time.Duration.ofSeconds(5)) < 0 ? java.time.Duration.ofSeconds(5) : d);
    }

    /**
     * Applies the status and puts the API server's answer into the primary cache, so the next
     * reconcile compares against this status even before the informer delivers it. (JOSDK's
     * UpdateControl.patchStatus leaves the cache stale: a reconcile triggered right after then
     * re-derives the same changes, repeats their events and fails its patch with 409 Conflict.)
     */
    static void patchStatus(IcebergCatalog catalog, IcebergCatalogStatus status, Context<IcebergCatalog> context) {
        IcebergCatalog fresh = new IcebergCatalog();
        fresh.setMetadata(new ObjectMetaBuilder()
                .withName(catalog.getMetadata().getName())
                .withNamespace(catalog.getMetadata().getNamespace())
                .build());
        fresh.setStatus(status);
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(catalog, fresh, context);
    }

    @Override
    public ErrorStatusUpdateControl<IcebergCatalog> updateErrorStatus(
            IcebergCatalog catalog, Context<IcebergCatalog> context, Exception e) {
        ReconcileFailure failure = ReconcileFailure.of(e);
        events.warning(catalog, failure.reason(), failure.message());
        catalog.setStatus(statusBuilder.failed(catalog, failure));
        if (!ReconcileFailure.RECONCILE_FAILED.equals(failure.reason())) {
            // Blocked on something only the user can change, which may be an object no informer
            // watches (an unlabelled claim): retrying soon is pointless, looking again now and then is not.
            return ErrorStatusUpdateControl.patchStatus(catalog).withNoRetry().rescheduleAfter(BLOCKED_RECHECK);
        }
        return ErrorStatusUpdateControl.patchStatus(catalog);
    }

    private List<String> startRequestedRotations(
            IcebergCatalog catalog,
            KmsBinding binding,
            List<Job> jobs,
            IcebergCatalogStatus previous,
            Context<IcebergCatalog> context) {
        List<String> handled = previous == null
                        || previous.encryption() == null
                        || previous.encryption().rotateNowJobs() == null
                ? List.of()
                : previous.encryption().rotateNowJobs();
        List<String> requests = new ArrayList<>();
        token(catalog.getMetadata().getAnnotations()).ifPresent(t -> requests.add("catalog:" + t));
        List<String> keep = new ArrayList<>();
        if (binding != null && !Pausing.isPaused(binding)) {
            token(binding.getMetadata().getAnnotations()).ifPresent(t -> requests.add("binding:" + t));
        } else if (binding != null) {
            // A paused binding's request waits for it to be resumed; one already handled stays handled.
            token(binding.getMetadata().getAnnotations())
                    .map(t -> rotationJobName(catalog, "binding:" + t))
                    .filter(handled::contains)
                    .ifPresent(keep::add);
        }
        for (String request : requests) {
            String name = rotationJobName(catalog, request);
            boolean exists =
                    jobs.stream().anyMatch(j -> j.getMetadata().getName().equals(name));
            if (handled.contains(name) || exists) {
                continue;
            }
            try {
                context.getClient()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(catalog.getMetadata().getNamespace())
                        .resource(
                                RotationJobs.oneOff(catalog, binding, name, image.resolve(catalog.getSpec()), context))
                        .create();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                continue; // started by an earlier reconcile whose Job the cache has not shown yet
            }
            events.normal(
                    catalog,
                    "RotationRequested",
                    "Started key rotation Job " + name + " for the " + rotateSource(request)
                            + " floe.dev/rotate-now annotation");
            if (request.startsWith("binding:")) {
                events.normal(
                        binding,
                        "RotationRequested",
                        "Started key rotation Job " + name + " for catalog "
                                + catalog.getMetadata().getName());
            }
        }
        // Remember exactly the requests still on the annotations (at most two): a token stays
        // handled for as long as it is there, even after its Job is garbage-collected.
        keep.addAll(requests.stream().map(r -> rotationJobName(catalog, r)).toList());
        return keep;
    }

    private static String rotationJobName(IcebergCatalog catalog, String request) {
        return catalog.getMetadata().getName() + "-rotate-"
                + MountedSecrets.hashOf(request).substring(0, 10);
    }

    private static String rotateSource(String request) {
        return request.startsWith("catalog:") ? "IcebergCatalog's" : "KmsBinding's";
    }

    private void reportRotationResult(
            IcebergCatalog catalog, IcebergCatalogStatus previous, IcebergCatalogStatus next) {
        String before = previous == null || previous.encryption() == null
                ? null
                : previous.encryption().lastRotationJob();
        var enc = next.encryption();
        if (enc != null
                && enc.lastRotationJob() != null
                && !enc.lastRotationJob().equals(before)) {
            if ("Succeeded".equals(enc.lastRotationResult())) {
                events.normal(
                        catalog,
                        "RotationSucceeded",
                        "Key rotation Job " + enc.lastRotationJob() + " succeeded at " + enc.lastRotationTime());
            } else {
                events.warning(
                        catalog,
                        "RotationFailed",
                        "Key rotation Job " + enc.lastRotationJob() + " failed: read its pod logs (kubectl logs job/"
                                + enc.lastRotationJob() + ")");
            }
        }
    }

    private void reportBackupResult(IcebergCatalog catalog, IcebergCatalogStatus previous, IcebergCatalogStatus next) {
        String before = previous == null || previous.backup() == null
                ? null
                : previous.backup().lastJob();
        var backup = next.backup();
        if (backup != null && backup.lastJob() != null && !backup.lastJob().equals(before)) {
            if ("Succeeded".equals(backup.lastResult())) {
                var archive = backup.archives() == null
                        ? null
                        : backup.archives().stream()
                                .filter(a -> backup.lastJob().equals(a.job()))
                                .findFirst()
                                .orElse(null);
                events.normal(
                        catalog,
                        "BackupSucceeded",
                        "Backup Job " + backup.lastJob() + " wrote "
                                + (archive == null || archive.location() == null
                                        ? "its archive"
                                        : archive.location() + " (" + archive.sizeBytes() + " bytes)"));
            } else {
                events.warning(
                        catalog,
                        "BackupFailed",
                        "Backup Job " + backup.lastJob() + " failed: read its pod logs (kubectl logs job/"
                                + backup.lastJob() + ")");
            }
        }
    }

    /** The pods of a finished backup Job, read once per Job: their termination message is its report. */
    private static List<io.fabric8.kubernetes.api.model.Pod> podsOfJob(
            IcebergCatalog catalog, String job, Context<IcebergCatalog> context) {
        return context.getClient()
                .pods()
                .inNamespace(catalog.getMetadata().getNamespace())
                .withLabel("job-name", job)
                .list()
                .getItems();
    }

    private static boolean hasLabel(Job job, String label) {
        return job.getMetadata().getLabels() != null
                && job.getMetadata().getLabels().containsKey(label);
    }

    private static Optional<String> token(Map<String, String> annotations) {
        return Optional.ofNullable(annotations)
                .map(a -> a.get(CatalogNames.ROTATE_NOW))
                .filter(t -> !t.isBlank());
    }

    static String indexKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Set<ResourceID> catalogsBoundTo(
            EventSourceContext<IcebergCatalog> context, String ns, String binding) {
        return context.getPrimaryCache().byIndex(BY_BINDING, indexKey(ns, binding)).stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
