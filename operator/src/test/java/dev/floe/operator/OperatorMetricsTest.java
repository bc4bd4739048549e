package dev.floe.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

    @Test
    void scrapeHasJvmMemoryGcThreadClassAndProcessMeters() {
        String text = OperatorMetrics.create().scrape();
        assertThat(text)
                .contains(
                        "# TYPE jvm_memory_used_bytes gauge",
                        "jvm_memory_max_bytes{area=\"heap\"",
                        "jvm_threads_live_threads",
                        "jvm_classes_loaded_classes",
                        "process_cpu_usage",
                        "process_uptime_seconds",
                        "jvm_gc_memory_allocated_bytes_total");
    }
}
