package dev.floe.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads {@link OperatorSettings} from the environment, starts the
 * reconcilers (with leader election when enabled), serves /healthz, /readyz and /metrics
 * (Prometheus: {@link OperatorMetrics}) and stops gracefully on SIGTERM.
 */
public final class FloeOperator {
    private FloeOperator() {}

    public static void main(String[] args) throws IOException {
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        if ("json".equals(settings.logFormat()) && System.getProperty("logback.configurationFile") == null) {
            // Must happen before the first logger is created.
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        Logger log = LoggerFactory.getLogger(FloeOperator.class);

        KubernetesClient client = FloeOperators.clientBuilder().build();
        OperatorMetrics metrics = OperatorMetrics.create();
        Leadership leadership = new Leadership();
        Operator operator = FloeOperators.create(client, settings, metrics.josdk(), leadership);

        HttpServer http = settings.httpPort() == 0 ? null : startHttp(settings, operator, leadership, metrics);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping: finishing running reconciles");
                            leadership.shuttingDown();
                            operator.stop();
                            try {
                                if (FloeOperators.releaseLease(client, settings)) {
                                    log.info(
                                            "released the Lease {}/{}",
                                            settings.leaseNamespace(),
                                            OperatorSettings.LEASE_NAME);
                                }
                            } catch (RuntimeException e) {
                                log.warn(
                                        "could not release the Lease; a standby takes over when it expires: {}",
                                        e.getMessage());
                            }
                            if (http != null) {
                                http.stop(1);
                            }
                            client.close();
                        },
                        "floe-operator-shutdown"));

        log.info(
                "starting floe-operator {}; namespaces={}, leaderElection={}, default catalog image={}",
                OperatorVersion.current(),
                settings.watchesAllNamespaces() ? "all" : settings.watchedNamespaces(),
                settings.leaderElection(),
                settings.catalogImage());
        operator.start();
    }

    private static HttpServer startHttp(
            OperatorSettings settings, Operator operator, Leadership leadership, OperatorMetrics metrics)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.httpHost(), settings.httpPort()), 16);
        http.createContext("/healthz", ex -> respond(ex, 200, "ok"));
        http.createContext("/readyz", ex -> {
            var info = operator.getRuntimeInfo();
            boolean started = info.isStarted();
            Readiness readiness = Readiness.of(
                    settings.leaderElection(),
                    leadership.leading(),
                    started,
                    started && info.allEventSourcesAreHealthy(),
                    started ? info.unhealthyEventSources().keySet() : java.util.Set.of());
            respond(ex, readiness.ready() ? 200 : 503, readiness.message());
        });
        http.createContext("/metrics", ex -> respond(ex, 200, metrics.scrape()));
        http.start();
        return http;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
