package dev.floe.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Holds back a test class's {@code @EnableKubeAPIServer} start while kube-api-test's start-up
 * deadline would fall after midnight.
 *
 * <p>kube-api-test 7.5.2 (and its main branch as of December 2026) measures the start-up timeout of
 * etcd and the API server with {@link LocalTime}: started at 23:59:30 with the default 60 s, its
 * deadline is 00:00:30, which {@code LocalTime} orders before 23:59:31, so the first poll that finds
 * the server not yet ready throws "Kube API Server did not start properly". Every class that starts
 * an API server in the last minute of the day fails within milliseconds; a CI run that crossed
 * midnight lost eleven classes that way. The date changing is the only cure from outside the
 * library, so this waits for it.
 *
 * <p>Registered for every test class through {@code META-INF/services} (the operator's Failsafe
 * configuration turns on JUnit's extension auto-detection), so it runs before the class's own
 * extensions and no class can forget it; it does nothing for classes without the annotation.
 */
public final class KubeApiServerMidnightGuard implements BeforeAllCallback {

    /**
     * etcd, then the API server, then the default namespace each start their own deadline after
     * this check; on a busy machine the last one starts tens of seconds later.
     */
    private static final Duration LATER_DEADLINES = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!AnnotationSupport.isAnnotated(context.getRequiredTestClass(), EnableKubeAPIServer.class)) {
            return;
        }
        LocalDate today = LocalDate.now();
        Duration wait = waitBeforeStart(LocalTime.now(), startupTimeout());
        if (wait.isZero()) {
            return;
        }
        System.err.printf(
                "%s: kube-api-test's start-up deadline would wrap at midnight; waiting %d s for the date to change%n",
                context.getRequiredTestClass().getSimpleName(), wait.toSeconds());
        await("the date after " + today)
                .atMost(wait.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> LocalDate.now().isAfter(today));
    }

    /**
     * How long to wait before starting an API server at {@code now}: zero when every deadline
     * kube-api-test computes falls on the same day, otherwise the time left until midnight.
     */
    static Duration waitBeforeStart(LocalTime now, Duration startupTimeout) {
        Duration untilMidnight = Duration.between(now, LocalTime.MAX).plusNanos(1);
        Duration lastDeadline = startupTimeout.plus(LATER_DEADLINES);
        return untilMidnight.compareTo(lastDeadline) <= 0 ? untilMidnight : Duration.ZERO;
    }

    /**
     * The timeout {@code @EnableKubeAPIServer} starts with: the annotation has no timeout of its
     * own, so the extension takes kube-api-test's default configuration, resolved here the same way.
     */
    private static Duration startupTimeout() {
        return Duration.ofMillis(
                KubeAPIServerConfigBuilder.anAPIServerConfig().build().getStartupTimeout());
    }
}
