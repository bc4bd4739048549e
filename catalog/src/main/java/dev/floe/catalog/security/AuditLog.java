package dev.floe.catalog.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON object per line for every mutating call, every failed authentication
 * and every management action, with time, request id, principal, action, target and result. It is
 * written to stdout (for the container log pipeline) or appended to a file. Callers pass names and
 * ids only; this class has no parameter through which a credential could reach it. A line that
 * cannot be written is logged and counted in {@code floe.audit.write.failures}; whether the request
 * then goes on is {@link AuditWriteAheadFilter}'s decision ({@code floe.security.audit.fail-closed}).
 */
public final class AuditLog implements AutoCloseable {

    /**
     * One audited event.
     *
     * @param requestId the request's id (also in the {@code X-Request-Id} header)
     * @param principal the caller's audit id, or {@code anonymous}
     * @param action    stable action name, e.g. {@code table.commit}, {@code auth.failure}, {@code api-key.create}
     * @param target    what was acted on, e.g. {@code db.orders} or a key id
     * @param method    HTTP method
     * @param path      request path, without query string
     * @param status    HTTP status answered
     * @param client    client address
     */
    public record Event(
            String requestId,
            String principal,
            String action,
            String target,
            String method,
            String path,
            int status,
            String client) {

        /** The status of an event written before the request runs (fail-closed mode). */
        public static final int NOT_ANSWERED_YET = 0;

        /**
         * {@code started} before the request runs, {@code success} for 2xx/3xx, {@code denied} for
         * 401/403/404-by-scope/429, else {@code failure}.
         */
        public String result() {
            if (status == NOT_ANSWERED_YET) {
                return "started";
            }
            if (status < 400) {
                return "success";
            }
            return status == 401 || status == 403 || status == 429 ? "denied" : "failure";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;
    private final Clock clock;
    private final boolean closeOut;
    private final @Nullable Counter failures;

    private AuditLog(Writer out, Clock clock, boolean closeOut, @Nullable MeterRegistry meters) {
        this.out = out;
        this.clock = clock;
        this.closeOut = closeOut;
        this.failures = meters == null
                ? null
                : Counter.builder("floe.audit.write.failures")
                        .description("Audit lines that could not be written")
                        .register(meters);
    }

    /** Audit lines to standard output; lost lines counted in {@code meters} when not null. */
    public static AuditLog stdout(Clock clock, @Nullable MeterRegistry meters) {
        return new AuditLog(
                new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), clock, false, meters);
    }

    /** Audit lines appended to {@code file} (created owner-readable if absent); lost lines counted in {@code meters}. */
    public static AuditLog file(Path file, Clock clock, @Nullable MeterRegistry meters) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new AuditLog(
                    Files.newBufferedWriter(
                            file,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND,
                            StandardOpenOption.WRITE),
                    clock,
                    true,
                    meters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log " + file, e);
        }
    }

    /** An audit log writing to any writer (tests). */
    public static AuditLog to(Writer writer, Clock clock) {
        return new AuditLog(writer, clock, false, null);
    }

    /** Writes one line; false (logged and counted) when the sink refused it. */
    public boolean record(Event event) {
        String line = format(event, clock);
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                out.flush();
                return true;
            } catch (IOException e) {
                // the message names the sink and the OS error only; the line itself holds no secret either
                LOG.error(
                        "audit log write failed ({} {} {}): {}",
                        event.action(),
                        event.method(),
                        event.path(),
                        e.getMessage());
                if (failures != null) {
                    failures.increment();
                }
                return false;
            }
        }
    }

    /** The JSON text of one event. */
    static String format(Event e, Clock clock) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", clock.instant().toString());
            g.writeStringField("type", "audit");
            g.writeStringField("requestId", e.requestId());
            g.writeStringField("principal", e.principal());
            g.writeStringField("action", e.action());
            g.writeStringField("target", e.target());
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            g.writeNumberField("status", e.status());
            g.writeStringField("result", e.result());
            g.writeStringField("client", e.client());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        if (closeOut) {
            out.close();
        }
    }

    /** Placeholder principal for unauthenticated events. */
    public static String anonymous(@Nullable Principal principal) {
        return principal == null ? "anonymous" : principal.auditId();
    }
}
