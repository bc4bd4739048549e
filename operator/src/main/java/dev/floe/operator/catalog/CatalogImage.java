package dev.floe.operator.catalog;

import dev.floe.operator.api.v1alpha1.IcebergCatalogSpec;

/**
 * Which image a catalog's pods and key-rotation Jobs run, decided at reconcile time: the
 * catalog's {@code spec.image} when set, otherwise the operator's default (its
 * {@code FLOE_CATALOG_IMAGE} setting, else {@link #forVersion} of the operator's own version).
 * Nothing is written into the custom resource, so an operator started with a new default rolls
 * every catalog that does not pin an image and leaves the others alone.
 */
public record CatalogImage(String operatorDefault) {
    /** Where the project publishes the catalog image; its tags are the project versions. */
    public static final String REPOSITORY = "ghcr.io/floe-dev/floe";

    public CatalogImage {
        if (operatorDefault == null || operatorDefault.isBlank()) {
            throw new IllegalArgumentException("the operator's default catalog image must be set");
        }
    }

    /** The catalog image built with the operator of {@code version} (both images share the project version). */
    public static String forVersion(String version) {
        return REPOSITORY + ":" + version;
    }

    /** The image for a catalog with this spec. */
    public String resolve(IcebergCatalogSpec spec) {
        return spec != null && spec.image() != null ? spec.image() : operatorDefault;
    }
}
