package dev.floe.catalog.security;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a short safe token (so a
 * client or proxy can correlate), otherwise a fresh id in the format of a random (version 4) UUID,
 * e.g. {@code 3f2b6c1e-8d4a-4f0b-9c7e-1a2b3c4d5e6f}. The id is put in the MDC as
 * {@code requestId} for every log line written while the request is handled, and returned in the
 * {@code X-Request-Id} response header.
 *
 * <p>A request id only correlates log lines; it grants nothing and is not secret, so its 122 random
 * bits come from {@link ThreadLocalRandom} rather than {@code UUID.randomUUID()}'s SecureRandom,
 * which cost a synchronized SecureRandom draw on every request.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RequestIdFilter implements Ordered {

    /** Header name. */
    public static final String HEADER = "X-Request-Id";
    /** MDC key. */
    public static final String MDC_KEY = "requestId";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @RequestFilter
    public void assign(HttpRequest<?> request, MutablePropagatedContext context) {
        String offered = request.getHeaders().get(HEADER);
        String id = offered != null && SAFE.matcher(offered).matches() ? offered : newId();
        request.setAttribute(SecurityAttributes.REQUEST_ID, id);
        context.add(new MdcPropagationContext(Map.of(MDC_KEY, id)));
    }

    /** A fresh id: a version 4, variant 2 UUID string from {@link ThreadLocalRandom} (unique, not unguessable). */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(HEADER, SecurityAttributes.requestId(request));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before();
    }
}
