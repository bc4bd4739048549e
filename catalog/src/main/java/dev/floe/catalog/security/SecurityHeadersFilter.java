package dev.floe.catalog.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Adds defensive response headers to every answer. The catalog serves JSON to programs, never
 * pages to browsers, so the headers forbid everything a browser could do with a response: sniffing
 * it into HTML, framing it, caching it (responses carry table locations and tokens), sending a
 * referrer; and over TLS, pin HTTPS (HSTS).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class SecurityHeadersFilter implements Ordered {

    private final boolean tls;

    public SecurityHeadersFilter(@Value("${micronaut.server.ssl.enabled:false}") boolean tls) {
        this.tls = tls;
    }

    @ResponseFilter
    public void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        response.header("Referrer-Policy", "no-referrer");
        response.header("Cross-Origin-Resource-Policy", "same-origin");
        if (!response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store");
        }
        if (tls) {
            response.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before() + 1;
    }
}
