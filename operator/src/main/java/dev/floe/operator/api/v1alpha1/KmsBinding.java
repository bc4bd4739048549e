package dev.floe.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which KMS key protects the data keys of the catalogs bound to it, where the credentials come
 * from, and when the key material is rotated. Catalogs reference it by name in the same namespace.
 */
@Group(IcebergCatalog.GROUP)
@Version(IcebergCatalog.VERSION)
@ShortNames("kmsb")
@Categories("floe")
// kubectl prints these in this order (tools/crds/PrinterColumnOrder.java keeps it); priority 1 only with -o wide.
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Schedule",
        jsonPath = ".spec.rotation.schedule",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Last Rotation",
        jsonPath = ".status.lastRotationTime",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Next Rotation",
        jsonPath = ".status.nextRotationTime",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class KmsBinding extends CustomResource<KmsBindingSpec, KmsBindingStatus> implements Namespaced {}
