package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalog;
import dev.floe.operator.api.v1alpha1.KmsBinding;
import dev.floe.operator.api.v1alpha1.Rotation;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The scheduled key rotation: a CronJob on the bound KmsBinding's spec.rotation.schedule; kept as is while the binding is missing. */
@KubernetesDependent(informer = @Informer(labelSelector = CatalogNames.MANAGED_SELECTOR))
public class RotationCronJobDependent extends BindingGatedDependent<CronJob> {
    private final CatalogImage image;

    /** What JOSDK instantiates to learn the resource type; the workflow's instance comes from {@link CatalogDependentFactory}. */
    public RotationCronJobDependent() {
        this(null);
    }

    public RotationCronJobDependent(CatalogImage image) {
        this.image = image;
    }

    /** By name: JOSDK's default renders desired(), which needs the binding, also to delete the CronJob. */
    @Override
    protected ResourceID targetSecondaryResourceID(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        return new ResourceID(
                CatalogNames.cronJob(catalog), catalog.getMetadata().getNamespace());
    }

    @Override
    protected CronJob desired(IcebergCatalog catalog, Context<IcebergCatalog> context) {
        KmsBinding binding = CatalogSecondaries.binding(catalog, context).orElseThrow();
        Rotation rotation = binding.getSpec().rotation();
        return new CronJobBuilder()
                .withMetadata(CatalogNames.metadata(catalog, CatalogNames.cronJob(catalog), "key-rotation"))
                .withNewSpec()
                .withSchedule(rotation.schedule())
                .withTimeZone(rotation.timeZone())
                .withSuspend(Boolean.TRUE.equals(rotation.suspend()))
                .withConcurrencyPolicy("Forbid")
                .withSuccessfulJobsHistoryLimit(3)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata()
                .withLabels(RotationJobs.labels(catalog, RotationJobs.SCHEDULED))
                .endMetadata()
                .withSpec(RotationJobs.jobSpec(
                        catalog, binding, RotationJobs.SCHEDULED, CatalogPods.image(image, catalog), context))
                .endJobTemplate()
                .endSpec()
                .build();
    }
}
