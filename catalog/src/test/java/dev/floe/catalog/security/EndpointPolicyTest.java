package dev.floe.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@link EndpointPolicy#match} looks rules up by method and first path segment; it must pick the
 * same rule as trying every row in order, for the real routes and for near misses.
 */
class EndpointPolicyTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS",
            "TRACE", "get", "FOO");
    private static final List<String> PATHS = List.of(
            "", "/", "//", "/v1", "/v1/", "/v1/config", "/v1/config/", "/v1/oauth/tokens", "/v1/wh/oauth/tokens",
            "/health", "/health/", "/health/readiness", "/healthz", "/metrics", "/prometheus", "/metrics/x",
            "/management", "/management/", "/management/loggers", "/v1/tables/rename", "/v1/wh/tables/rename",
            "/v1/views/rename", "/v1/wh/views/rename", "/v1/transactions/commit", "/v1/wh/transactions/commit",
            "/v1/namespaces", "/v1/wh/namespaces", "/v1/namespaces/db", "/v1/wh/namespaces/db%1Fsub",
            "/v1/namespaces/db/properties", "/v1/wh/namespaces/db/tables", "/v1/namespaces/db/tables",
            "/v1/namespaces/db/register", "/v1/namespaces/db/register-view", "/v1/namespaces/db/tables/t",
            "/v1/wh/namespaces/db/tables/t", "/v1/namespaces/db/tables/t/metrics", "/v1/wh/namespaces/db/tables/t/credentials",
            "/v1/namespaces/db/views", "/v1/wh/namespaces/db/views/v", "/v1/namespaces/db/views/v",
            "/v1/admin/rotate-keys", "/v1/wh/admin/rotate-keys", "/v1/namespaces/db/tables/t/extra/more",
            "/v1/a/b/c/d/e", "/v1/wh%2Fx/namespaces/n%2Bm/tables/t%20u", "/V1/config", "/other", "v1/config",
            "/v1/namespaces/tables", "/v1/namespaces/namespaces/tables/tables");

    @Test
    void indexedLookupPicksTheSameRuleAsTryingEveryRow() {
        int checked = 0;
        for (String method : METHODS) {
            for (String path : PATHS) {
                EndpointPolicy.Match match = EndpointPolicy.match(method, path);
                String expected = linearAction(method, path);
                assertThat(match.rule().action()).as("%s %s", method, path).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(METHODS.size() * PATHS.size());
    }

    @Test
    void triesOnlyTheRulesOfTheMethodAndFirstSegment() {
        List<EndpointPolicy.Rule> load = EndpointPolicy.candidates("GET", "/v1/namespaces/db/tables/t");
        assertThat(load).extracting(EndpointPolicy.Rule::action)
                .contains("table.load").doesNotContain("health", "metrics", "management", "table.commit", "oauth.token");
        assertThat(EndpointPolicy.candidates("GET", "/metrics")).extracting(EndpointPolicy.Rule::action).containsExactly("metrics");
        assertThat(EndpointPolicy.candidates("GET", "/other")).isEmpty();
        assertThat(EndpointPolicy.candidates("OPTIONS", "/v1/config")).isEmpty();
    }

    @Test
    void decodesTheResourceOfATableLoad() {
        EndpointPolicy.Match match = EndpointPolicy.match("GET", "/v1/wh/namespaces/db%1Fsub/tables/orders");
        assertThat(match.rule().action()).isEqualTo("table.load");
        assertThat(match.warehouse()).isEqualTo("wh");
        assertThat(match.namespace()).isEqualTo("db.sub");
        assertThat(match.name()).isEqualTo("orders");
        assertThat(match.target()).isEqualTo("db.sub.orders");
    }

    @Test
    void anUnlistedEndpointNeedsAdmin() {
        EndpointPolicy.Match match = EndpointPolicy.match("PUT", "/v1/namespaces/db");
        assertThat(match.rule().required()).isEqualTo(Role.ADMIN);
        assertThat(match.rule().action()).isEqualTo("other");
    }

    /** The table read row by row, as match did before it was indexed. */
    private static String linearAction(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        for (EndpointPolicy.Rule rule : EndpointPolicy.RULES) {
            if (rule.methods().contains(m)) {
                Matcher matcher = rule.pattern().matcher(path);
                if (matcher.matches()) {
                    return rule.action();
                }
            }
        }
        return "other";
    }
}
