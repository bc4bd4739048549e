package dev.floe.catalog.cli;

import picocli.CommandLine;

/** {@code floe --version}: the catalog version and the Iceberg REST specification it serves. */
final class FloeVersion implements CommandLine.IVersionProvider {
    /** This build's version, as recorded in backups. */
    static String catalogVersion() {
        String version = FloeVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "floe " + catalogVersion(),
            "Apache Iceberg REST catalog API 1.11.0 (iceberg-core " + org.apache.iceberg.IcebergBuild.version() + ")"
        };
    }
}
