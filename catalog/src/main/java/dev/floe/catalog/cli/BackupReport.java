package dev.floe.catalog.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.catalog.store.BackupManifest;
import org.apache.iceberg.util.JsonUtil;

/**
 * The one-line JSON result of {@code floe backup --report-file}: when, where and how big. The
 * operator reads it from the backup pod's termination message into the catalog's status.
 */
record BackupReport(String time, String location, long sizeBytes, String schemaVersion, long rows) {

    static BackupReport of(BackupManifest manifest, String archive, long size) {
        return new BackupReport(
                manifest.createdAt().toString(), archive, size, manifest.schemaVersion(), manifest.totalRows());
    }

    String toJsonLine() {
        ObjectNode node = JsonUtil.mapper().createObjectNode();
        node.put("time", time);
        node.put("location", location);
        node.put("sizeBytes", sizeBytes);
        node.put("schemaVersion", schemaVersion);
        node.put("rows", rows);
        return node.toString() + "\n";
    }
}
