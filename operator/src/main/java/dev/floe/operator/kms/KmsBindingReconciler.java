package dev.floe.operator.kms;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.IcebergCatalogStatus;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.KmsBindingSpec;
import dev.floe.operator.api.v1alpha1.KmsBindingStatus;
import dev.floe.operator.caches.WithoutManagedFields;
import dev.floe.operator.secrets.ReferencedSecrets;
import dev.floe.operator.status.Conditions;
import dev.floe.operator.status.EventRecorder;
import dev.floe.operator.status.Pausing;
import dev.floe.operator.status.ReconcileFailure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a KmsBinding's status: whether its credentials Secret exists with the keys its
 * provider needs, which catalogs are bound to it, and the last and next rotation. It owns no
 * objects: the catalogs' reconciler turns the binding into configuration, env and CronJobs. A binding
 * paused with {@code floe.dev/pause-reconciliation} gets only its ReconciliationPaused condition (and
 * the catalogs' reconciler leaves the objects rendered from it alone).
 */
// Not generation-aware: pausing and resuming change an annotation only.
@ControllerConfiguration(name = "kmsbinding", generationAwareEventProcessing = false)
public class KmsBindingReconciler implements Reconciler<KmsBinding> {
    static final String CATALOGS = "bound-catalogs";
    static final String SECRETS = "credentials-secrets";

    private final EventRecorder events;
    private final Clock clock;
    private final java.time.Duration secretPollInterval;

    /** {@code secretPollInterval}: how often the bindings' credentials Secrets are read again. */
    public KmsBindingReconciler(EventRecorder events, Clock clock, java.time.Duration secretPollInterval) {
        this.events = events;
        this.clock = clock;
        this.secretPollInterval = secretPollInterval;
    }

    @Override
    public List<EventSource<?, KmsBinding>> prepareEventSources(EventSourceContext<KmsBinding> context) {
        var catalogs = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(IcebergCatalog.class, KmsBinding.class)
                        .withName(CATALOGS)
                        .withSecondaryToPrimaryMapper(
                                c -> c.getSpec() == null || c.getSpec().kms() == null
                                        ? Set.of()
                                        : Set.of(new ResourceID(
                                                c.getSpec().kms().bindingRef(),
                                                c.getMetadata().getNamespace())))
                        // Read for their status only, never applied from here.
                        .withItemStore(WithoutManagedFields.forEventSource(context))
                        .build(),
                context);
        // The credentials Secret is the user's: polled by name, never a cluster-wide Secret informer
        // (ReferencedSecrets says why).
        var secrets = ReferencedSecrets.eventSource(
                SECRETS,
                context,
                (KmsBinding b) -> b.getSpec() == null || KmsCredentialKeys.secretName(b.getSpec()) == null
                        ? List.of()
                        : List.of(KmsCredentialKeys.secretName(b.getSpec())),
                secretPollInterval);
        return List.of(catalogs, secrets);
    }

    /** A paused binding: only its ReconciliationPaused condition is added to the last status, with an event. */
    private void reportPaused(KmsBinding binding, KmsBindingStatus previous, Context<KmsBinding> context) {
        long generation = binding.getMetadata().getGeneration() == null
                ? 0
                : binding.getMetadata().getGeneration();
        var conditions = Pausing.pausedConditions(
                previous == null ? null : previous.conditions(),
                generation,
                clock,
                Pausing.ANNOTATION
                        + " is \"true\": the operator changes nothing for this KmsBinding (its status keeps its last"
                        + " values) and the catalogs bound to it keep their ServiceAccount, ConfigMap, Deployment and rotation"
                        + " CronJob as they are, so changes to this binding reach them once the annotation is removed");
        KmsBindingStatus status = previous == null
                ? new KmsBindingStatus(null, conditions, null, null, null, null, null)
                : new KmsBindingStatus(
                        previous.observedGeneration(),
                        conditions,
                        previous.boundCatalogs(),
                        previous.lastRotationTime(),
                        previous.lastRotationResult(),
                        previous.nextRotationTime(),
                        previous.catalogRotations());
        if (!Objects.equals(previous, status)) {
            patchStatus(binding, status, context);
        }
        if (previous == null || !Pausing.wasPaused(previous.conditions())) {
            events.normal(
                    binding,
                    Pausing.PAUSED,
                    Pausing.CONDITION + ": " + Pausing.ANNOTATION + " is \"true\"; remove it to resume");
        }
    }

    /** Applies the status and caches the answer (see IcebergCatalogReconciler.patchStatus for why). */
    private static void patchStatus(KmsBinding binding, KmsBindingStatus status, Context<KmsBinding> context) {
        KmsBinding fresh = new KmsBinding();
        fresh.setMetadata(new ObjectMetaBuilder()
                .withName(binding.getMetadata().getName())
                .withNamespace(binding.getMetadata().getNamespace())
                .build());
        fresh.setStatus(status);
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(binding, fresh, context);
    }

    /** An event on the binding for each bound catalog whose last finished rotation Job changed. */
    private void reportRotations(
            KmsBinding binding, KmsBindingStatus previous, List<KmsBindingStatus.CatalogRotation> rotations) {
        Map<String, String> before = previous == null || previous.catalogRotations() == null
                ? Map.of()
                : previous.catalogRotations().stream()
                        .collect(Collectors.toMap(
                                KmsBindingStatus.CatalogRotation::catalog,
                                KmsBindingStatus.CatalogRotation::job,
                                (a, b) -> b));
        for (var rotation : rotations) {
            if (rotation.job().equals(before.get(rotation.catalog()))) {
                continue;
            }
            if ("Succeeded".equals(rotation.result())) {
                events.normal(
                        binding,
                        "RotationSucceeded",
                        "Key rotation of catalog " + rotation.catalog() + " (Job " + rotation.job() + ") succeeded at "
                                + rotation.time());
            } else {
                events.warning(
                        binding,
                        "RotationFailed",
                        "Key rotation of catalog " + rotation.catalog() + " (Job " + rotation.job()
                                + ") failed: read its pod logs (kubectl logs job/" + rotation.job() + ")");
            }
        }
    }

    /**
     * A failed reconcile (say, its status may not be written, or a Secret may not be read): Ready=False
     * with the failure's short message, and a Warning event, instead of only a log line.
     */
    @Override
    public ErrorStatusUpdateControl<KmsBinding> updateErrorStatus(
            KmsBinding binding, Context<KmsBinding> context, Exception e) {
        ReconcileFailure failure = ReconcileFailure.of(e);
        events.warning(binding, failure.reason(), failure.message());
        KmsBindingStatus previous = binding.getStatus();
        long generation = binding.getMetadata().getGeneration() == null
                ? 0
                : binding.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation, clock);
        conditions.set("Ready", false, failure.reason(), failure.message());
        if (previous != null && previous.conditions() != null) {
            for (Condition c : previous.conditions()) {
                if (!"Ready".equals(c.getType())) {
                    conditions.set(c.getType(), Conditions.TRUE.equals(c.getStatus()), c.getReason(), c.getMessage());
                }
            }
        }
        binding.setStatus(
                previous == null
                        ? new KmsBindingStatus(null, conditions.build(), null, null, null, null, null)
                        : new KmsBindingStatus(
                                previous.observedGeneration(),
                                conditions.build(),
                                previous.boundCatalogs(),
                                previous.lastRotationTime(),
                                previous.lastRotationResult(),
                                previous.nextRotationTime(),
                                previous.catalogRotations()));
        return ErrorStatusUpdateControl.patchStatus(binding);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpdateControl<KmsBinding> reconcile(KmsBinding binding, Context<KmsBinding> context) {
        KmsBindingSpec spec = binding.getSpec();
        KmsBindingStatus previous = binding.getStatus();
        if (Pausing.isPaused(binding)) {
            reportPaused(binding, previous, context);
            return UpdateControl.noUpdate();
        }
        if (previous != null && Pausing.wasPaused(previous.conditions())) {
            events.normal(
                    binding,
                    Pausing.RESUMED,
                    Pausing.ANNOTATION + " was removed: the operator reconciles this KmsBinding"
                            + " and applies it to its catalogs again");
        }
        long generation = binding.getMetadata().getGeneration() == null
                ? 0
                : binding.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation, clock);
        String ns = binding.getMetadata().getNamespace();

        String secretName = KmsCredentialKeys.secretName(spec);
        var credentials = spec.credentials();
        if (secretName != null) {
            Secret secret =
                    ReferencedSecrets.get(SECRETS, secretName, binding, context).orElse(null);
            List<String> missing = secret == null
                    ? List.of()
                    : KmsCredentialKeys.required(spec).stream()
                            .filter(k -> secret.getData() == null
                                    || secret.getData().get(k) == null
                                    || secret.getData().get(k).isEmpty())
                            .toList();
            if (secret == null) {
                conditions.set(
                        "CredentialsFound",
                        false,
                        "SecretNotFound",
                        "Create Secret " + secretName + " in namespace " + ns + " with keys "
                                + String.join(", ", KmsCredentialKeys.required(spec)));
            } else if (!missing.isEmpty()) {
                conditions.set(
                        "CredentialsFound",
                        false,
                        "SecretKeysMissing",
                        "Secret " + secretName + " lacks the keys " + String.join(", ", missing) + " that the "
                                + spec.provider() + " provider needs");
            } else {
                conditions.set("CredentialsFound", true, "SecretFound", "Credentials come from Secret " + secretName);
            }
        } else if (credentials != null && credentials.workloadIdentity() != null && !"local".equals(spec.provider())) {
            conditions.set(
                    "CredentialsFound",
                    true,
                    "WorkloadIdentity",
                    "Credentials come from workload identity; the catalogs' ServiceAccounts carry its annotations");
        } else if (credentials != null
                && credentials.vaultKubernetesRole() != null
                && "vault".equals(spec.provider())) {
            conditions.set(
                    "CredentialsFound",
                    true,
                    "VaultKubernetesAuth",
                    "The catalogs log in to Vault with Kubernetes auth role " + credentials.vaultKubernetesRole());
        } else {
            conditions.set(
                    "CredentialsFound",
                    false,
                    "NoCredentialsConfigured",
                    "Set spec.credentials.secretRef"
                            + ("local".equals(spec.provider())
                                    ? " to a Secret with key " + KmsCredentialKeys.LOCAL_KEY
                                    : " or spec.credentials.workloadIdentity")
                            + " for the " + spec.provider() + " provider");
        }

        String nextRotation = null;
        var rotation = spec.rotation();
        boolean scheduleValid = true;
        if (rotation != null && rotation.schedule() != null && !Boolean.TRUE.equals(rotation.suspend())) {
            ZoneId zone;
            try {
                zone = rotation.timeZone() == null ? ZoneOffset.UTC : ZoneId.of(rotation.timeZone());
            } catch (java.time.DateTimeException e) {
                zone = null;
            }
            var schedule = CronSchedule.parse(rotation.schedule());
            if (zone == null || schedule.isEmpty()) {
                scheduleValid = false;
                conditions.set(
                        "Ready",
                        false,
                        "InvalidSchedule",
                        "spec.rotation: schedule '" + rotation.schedule() + "' or timeZone '" + rotation.timeZone()
                                + "' is not valid: use 5 cron fields and an IANA zone name");
            } else {
                final ZoneId z = zone;
                nextRotation = schedule.get()
                        .next(ZonedDateTime.now(clock), z)
                        .map(t -> t.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT))
                        .orElse(null);
            }
        }
        if (scheduleValid) {
            if (conditions.isTrue("CredentialsFound")) {
                conditions.set(
                        "Ready", true, "BindingReady", "Bound catalogs can use " + KmsCredentialKeys.keyIdentity(spec));
            } else {
                conditions.set(
                        "Ready",
                        false,
                        "CredentialsNotFound",
                        "Credentials are missing: see condition CredentialsFound");
            }
        }

        List<IcebergCatalog> catalogs = context.getSecondaryResources(IcebergCatalog.class).stream()
                .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
                .toList();
        var lastRotation = catalogs.stream()
                .map(IcebergCatalog::getStatus)
                .filter(Objects::nonNull)
                .map(IcebergCatalogStatus::encryption)
                .filter(e -> e != null && e.lastRotationTime() != null)
                .max(Comparator.comparing(IcebergCatalogStatus.EncryptionStatus::lastRotationTime));

        List<KmsBindingStatus.CatalogRotation> rotations = catalogs.stream()
                .filter(c -> c.getStatus() != null
                        && c.getStatus().encryption() != null
                        && c.getStatus().encryption().lastRotationJob() != null)
                .map(c -> new KmsBindingStatus.CatalogRotation(
                        c.getMetadata().getName(),
                        c.getStatus().encryption().lastRotationJob(),
                        c.getStatus().encryption().lastRotationTime(),
                        c.getStatus().encryption().lastRotationResult()))
                .toList();
        var status = new KmsBindingStatus(
                binding.getMetadata().getGeneration(),
                conditions.build(),
                catalogs.stream().map(c -> c.getMetadata().getName()).toList(),
                lastRotation
                        .map(IcebergCatalogStatus.EncryptionStatus::lastRotationTime)
                        .orElse(null),
                lastRotation
                        .map(IcebergCatalogStatus.EncryptionStatus::lastRotationResult)
                        .orElse(null),
                nextRotation,
                rotations.isEmpty() ? null : rotations);
        reportRotations(binding, previous, rotations);

        for (Condition changed : conditions.changed()) {
            if ("True".equals(changed.getStatus())) {
                events.normal(binding, changed.getReason(), changed.getMessage());
            } else {
                events.warning(binding, changed.getReason(), changed.getMessage());
            }
        }
        if (!Objects.equals(previous, status)) {
            patchStatus(binding, status, context);
        }
        UpdateControl<KmsBinding> control = UpdateControl.noUpdate();
        // Move status.nextRotationTime on once the scheduled time has passed.
        if (nextRotation != null) {
            java.time.Duration until =
                    java.time.Duration.between(clock.instant(), java.time.Instant.parse(nextRotation));
            control.rescheduleAfter(until.plusSeconds(5));
        }
        return control;
    }
}
