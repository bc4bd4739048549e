package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's /metrics carries the JVM's meters beside its own, so a catalog short of heap or
 * stuck in GC shows on the same scrape the operator's ServiceMonitor sets up (docs/operator.md,
 * Monitoring). Micronaut's JVM binders provide them; this guards against a setting switching them off.
 */
class JvmMetricsIT {

    @TempDir
    Path dir;

    @Test
    void metricsIncludeJvmMemoryGcThreadsClassesAndProcessMeters() {
        try (SecureCatalogServer server = SecureCatalogServer.start(
                "file://" + dir.resolve("db"),
                dir,
                Map.of("floe.security.audit.file", dir.resolve("audit.log").toString()))) {
            String text = new SecurityHttp(server.uri())
                    .send("GET", "/metrics", null, null)
                    .body();
            assertThat(text)
                    .contains(
                            "jvm_memory_used_bytes{area=\"heap\"",
                            "jvm_gc_",
                            "jvm_threads_live_threads",
                            "jvm_classes_loaded_classes",
                            "process_cpu_usage");
        }
    }
}
