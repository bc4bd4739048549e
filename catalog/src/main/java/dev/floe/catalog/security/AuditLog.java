package dev.floe.catalog.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

/**
 * The audit trail: one JSON object per line for every mutating call, every failed authentication
 * and every management action, with time, request id, principal, action, target and result. It is
 * written to stdout (for the container log pipeline) or appended to a file. Callers pass names and
 * ids only; this class has no parameter through which a credential could reach it.
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
    public record Event(String requestId, String principal, String action, String target, String method, String path,
                        int status, String client) {

        /** {@code success} for 2xx/3xx, {@code denied} for 401/403/404-by-scope/429, else {@code failure}. */
        public String result() {
            if (status < 400) {
                return "success";
            }
            return status == 401 || status == 403 || status == 429 ? "denied" : "failure";
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;
    private final Clock clock;
    private final boolean closeOut;

    private AuditLog(Writer out, Clock clock, boolean closeOut) {
        this.out = out;
        this.clock = clock;
        this.closeOut = closeOut;
    }

    /** Audit lines to standard output. */
    public static AuditLog stdout(Clock clock) {
        return new AuditLog(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), clock, false);
    }

    /** Audit lines appended to {@code file} (created owner-readable if absent). */
    public static AuditLog file(Path file, Clock clock) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new AuditLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), clock, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log " + file, e);
        }
    }

    /** An audit log writing to any writer (tests). */
    public static AuditLog to(Writer writer, Clock clock) {
        return new AuditLog(writer, clock, false);
    }

    /** Writes one line. */
    public void record(Event event) {
        String line = format(event, clock);
        synchronized (out) {
            try {
                out.write(line);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                // The audit sink failing must be visible; it is reported on the error stream.
                System.err.println("floe: audit log write failed: " + e.getMessage());
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
