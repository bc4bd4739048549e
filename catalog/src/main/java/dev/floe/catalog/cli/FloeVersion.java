package dev.floe.catalog.cli;

import picocli.CommandLine;

/** {@code floe --version}: the catalog version and the Iceberg REST specification it serves. */
final class FloeVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = FloeVersion.class.getPackage().getImplementationVersion();
        return new String[] {
            "floe " + (version == null ? "development build" : version),
            "Apache Iceberg REST catalog API 1.11.0 (iceberg-core " + org.apache.iceberg.IcebergBuild.version() + ")"
        };
    }
}
