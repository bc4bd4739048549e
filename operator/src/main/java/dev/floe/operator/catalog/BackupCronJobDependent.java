package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.BackupSpec;
import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The scheduled backup: a CronJob on spec.backup.schedule running {@code floe backup}; deleted when spec.backup goes. */
@KubernetesDependent(informer = @Informer(labelSelector = BackupJobs.BACKUP_LABEL))
public class BackupCronJobDependent extends CRUDKubernetesDependentResource<CronJob, IcebergCatalog> {
    private final CatalogImage image;

    /** What JOSDK instantiates to learn the resource type; the workflow's instance comes from {@link CatalogDependentFactory}. */
    public BackupCronJobDependent() {
        this(null);
    }

    public BackupCronJobDependent(CatalogImage image) {
        this.image = image;
    }

    /** By name: the catalog has two CronJobs (rotation, backup). */
    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(
                BackupJobs.cronJobName(catalog), catalog.getMetadata().getNamespace());
    }

    @Override
    protected CronJob desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        BackupSpec backup = catalog.getSpec().backup();
        // one Job history per kept archive (at most 10): the status reads the archives' reports from their pods
        int history = Math.min(backup.keepOrDefault(), 10);
        return new CronJobBuilder()
                .withMetadata(
                        CatalogNames.metadata(catalog, BackupJobs.cronJobName(catalog), BackupJobs.labels(catalog)))
                .withNewSpec()
                .withSchedule(backup.schedule())
                .withTimeZone(backup.timeZone())
                .withSuspend(Boolean.TRUE.equals(backup.suspend()))
                .withConcurrencyPolicy("Forbid")
                .withSuccessfulJobsHistoryLimit(history)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata()
                .withLabels(BackupJobs.labels(catalog))
                .endMetadata()
                .withSpec(BackupJobs.jobSpec(catalog, CatalogPods.image(image, catalog)))
                .endJobTemplate()
                .endSpec()
                .build();
    }
}
