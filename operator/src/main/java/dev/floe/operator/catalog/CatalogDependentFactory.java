package dev.floe.operator.catalog;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;

/**
 * Creates the IcebergCatalog workflow's dependents for JOSDK, handing the ones that build pods
 * (the Deployment and the rotation CronJob) this operator's {@link CatalogImage}; every other
 * dependent is created as JOSDK's default factory does. Constructor injection keeps the setting
 * per operator instance (tests run several operators in one JVM) rather than in a static.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class CatalogDependentFactory
        implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
    private final CatalogImage image;

    public CatalogDependentFactory(CatalogImage image) {
        this.image = image;
    }

    @Override
    public DependentResource createFrom(DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
        Class<?> type = spec.getDependentResourceClass();
        DependentResource dependent;
        if (type == DeploymentDependent.class) {
            dependent = new DeploymentDependent(image);
        } else if (type == RotationCronJobDependent.class) {
            dependent = new RotationCronJobDependent(image);
        } else if (type == BackupCronJobDependent.class) {
            dependent = new BackupCronJobDependent(image);
        } else {
            return DependentResourceFactory.super.createFrom(spec, configuration);
        }
        configure(dependent, spec, configuration);
        return dependent;
    }
}
