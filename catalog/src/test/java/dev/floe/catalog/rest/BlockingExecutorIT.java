package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalog.server.FloeServer;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.scheduling.TaskExecutors;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running server's blocking executor (where credentials that need I/O are checked and the controllers
 * run) is the on-pool-inline kind, so a request is not handed from one blocking worker to another
 * between the filter and the controller.
 */
class BlockingExecutorIT {

    @TempDir
    Path dir;

    @Test
    void blockingExecutorRunsSubmissionsFromItsOwnWorkersInline() {
        try (FloeServer server = TestCatalogServers.startSqlite(dir)) {
            ExecutorService blocking =
                    server.context().getBean(ExecutorService.class, Qualifiers.byName(TaskExecutors.BLOCKING));
            assertThat(blocking.toString()).startsWith("OnPoolInline[");
        }
    }
}
