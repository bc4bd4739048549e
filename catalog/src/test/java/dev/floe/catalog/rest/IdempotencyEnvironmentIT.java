package dev.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.catalog.server.FloeServer;
import dev.floe.catalog.server.IdempotencySettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code FLOE_IDEMPOTENCY_*} environment variables configure a real server through Micronaut's
 * environment-variable name mapping, and a bad value stops start-up with a message naming the
 * variable. The variables are handed to the server as its environment rather than set in this
 * JVM's, which a test cannot change.
 */
class IdempotencyEnvironmentIT {

    @TempDir
    Path dir;

    @Test
    void eachVariableIsHonoured() throws Exception {
        // every value differs from its default, so a variable that is not read fails the comparison
        try (FloeServer server = TestCatalogServers.startSqliteWithEnvironment(
                dir,
                Map.of(
                        "FLOE_IDEMPOTENCY_LIFETIME", "7m",
                        "FLOE_IDEMPOTENCY_CLEANUP_INTERVAL", "90s",
                        "FLOE_IDEMPOTENCY_IN_FLIGHT_LEASE", "3m",
                        "FLOE_IDEMPOTENCY_IN_FLIGHT_WAIT", "4s"))) {
            assertThat(server.context().getBean(IdempotencySettings.class))
                    .isEqualTo(new IdempotencySettings(
                            Duration.ofMinutes(7),
                            Duration.ofSeconds(90),
                            Duration.ofMinutes(3),
                            Duration.ofSeconds(4)));
            String config = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.uri().resolve("v1/config"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(config).contains("\"idempotency-key-lifetime\":\"PT7M\"");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "FLOE_IDEMPOTENCY_LIFETIME,         0s",
        "FLOE_IDEMPOTENCY_CLEANUP_INTERVAL, -1m",
        "FLOE_IDEMPOTENCY_IN_FLIGHT_LEASE,  5 minutes",
        "FLOE_IDEMPOTENCY_IN_FLIGHT_WAIT,   soon"
    })
    void aBadValueStopsStartUpNamingTheVariable(String variable, String value) {
        assertThatThrownBy(() -> TestCatalogServers.startSqliteWithEnvironment(dir, Map.of(variable, value))
                        .close())
                .hasStackTraceContaining("must be a positive duration")
                .hasStackTraceContaining("environment variable " + variable);
    }
}
