package dev.floe.catalog.observability;

import dev.floe.catalog.security.EndpointPolicy;
import dev.floe.catalog.security.SecurityAttributes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/**
 * Counts commits by their answer: {@code floe.commits{operation, outcome}} for every table commit,
 * view replacement and multi-table transaction ({@code outcome} = {@code success}, {@code conflict}
 * for 409, {@code rejected} for other 4xx, {@code error} for 5xx), and
 * {@code floe.commit.conflicts{operation}} for the 409s alone, the number to alert on when writers
 * keep losing optimistic-concurrency races. Counted from the HTTP answer, so a commit refused by the
 * security filters or by a failed requirement counts the same way a client sees it.
 */
@ServerFilter(patterns = "/v1/**", methods = HttpMethod.POST)
public final class CommitMetricsFilter {

    private static final Set<String> COMMITS = Set.of("table.commit", "view.replace", "transaction.commit");

    private final MeterRegistry meters;

    public CommitMetricsFilter(MeterRegistry meters) {
        this.meters = meters;
    }

    @ResponseFilter
    public void count(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String operation = request.getAttribute(SecurityAttributes.MATCH, EndpointPolicy.Match.class)
                .orElseGet(() -> EndpointPolicy.match(request))
                .rule()
                .action();
        if (!COMMITS.contains(operation)) {
            return;
        }
        int status = response.code();
        String outcome =
                status / 100 == 2 ? "success" : status == 409 ? "conflict" : status / 100 == 4 ? "rejected" : "error";
        meters.counter("floe.commits", "operation", operation, "outcome", outcome)
                .increment();
        if (status == 409) {
            meters.counter("floe.commit.conflicts", "operation", operation).increment();
        }
    }
}
