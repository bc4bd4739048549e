package dev.floe.operator.status;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a failed reconcile tells the user in a condition and an event: a reason and one short line
 * naming the cause. Exception messages are not written for users: JOSDK's aggregate of the
 * workflow's failures prints every stack trace into its message, Fabric8's repeats the API
 * server's whole answer, and a library may quote the value it could not parse (a Secret's data
 * included). So this keeps, per failed dependent, the API server's own code, reason and message
 * when there is one, else the first line of each message in the cause chain; quoted values from
 * libraries and anything that looks like key material are replaced, and the line is bounded.
 */
public record ReconcileFailure(String reason, String message) {
    public static final String RECONCILE_FAILED = "ReconcileFailed";
    /** Long enough for the API server's forbidden message and the hint; far below an event's 1 KiB. */
    public static final int MAX_LENGTH = 300;

    private static final String FORBIDDEN_HINT =
            " (grant it to the operator's ServiceAccount: ClusterRole floe-operator in deploy/default)";
    private static final Pattern PEM = Pattern.compile("-----BEGIN[\\s\\S]*");
    /** Base64 or hex runs of 24+ characters with a digit: key material, tokens, Secret values. */
    private static final Pattern KEY_MATERIAL =
            Pattern.compile("(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Za-z])[A-Za-z0-9+/]{24,}={0,2}");
    /** What a library quotes is the input it choked on, which may be a secret value. */
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");

    public static ReconcileFailure of(Throwable e) {
        ReconcileBlocked blocked = find(e, ReconcileBlocked.class);
        if (blocked != null) {
            return new ReconcileFailure(blocked.reason(), bounded(oneLine(blocked.getMessage()), MAX_LENGTH));
        }
        Set<String> parts = new LinkedHashSet<>();
        if (e instanceof AggregatedOperatorException aggregate
                && !aggregate.getAggregatedExceptions().isEmpty()) {
            // By dependent name, so the message is the same from one reconcile to the next.
            for (Map.Entry<String, Exception> failed : new TreeMap<>(aggregate.getAggregatedExceptions()).entrySet()) {
                parts.add(failed.getKey() + ": " + describe(failed.getValue()));
            }
        } else {
            parts.add(describe(e));
        }
        return new ReconcileFailure(RECONCILE_FAILED, bounded(String.join("; ", parts), MAX_LENGTH));
    }

    private static String describe(Throwable e) {
        KubernetesClientException api = find(e, KubernetesClientException.class);
        Status status = api == null ? null : api.getStatus();
        if (status != null && status.getMessage() != null && status.getCode() != null && status.getCode() > 0) {
            String text = "HTTP " + status.getCode() + (status.getReason() == null ? "" : " " + status.getReason())
                    + ": " + redact(oneLine(status.getMessage()));
            // The hint must survive the bound, so the API server's part gives way.
            return status.getCode() == 403
                    ? bounded(text, MAX_LENGTH - FORBIDDEN_HINT.length()) + FORBIDDEN_HINT
                    : text;
        }
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            // new RuntimeException(cause) repeats cause.toString(): a class name, and said below anyway.
            if (message == null
                    || message.isBlank()
                    || (t.getCause() != null && message.equals(t.getCause().toString()))) {
                continue;
            }
            String line = oneLine(message);
            // Fabric8's own "Operation: [verb] for kind: [Kind] …" is ours to show; a library's quotes are not.
            messages.add(stripPeriod(t instanceof KubernetesClientException ? redact(line) : redact(unquote(line))));
        }
        return messages.isEmpty() ? "unexpected " + e.getClass().getSimpleName() : String.join(": ", messages);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof AggregatedOperatorException aggregate) {
                for (Exception inner : new TreeMap<>(aggregate.getAggregatedExceptions()).values()) {
                    T found = find(inner, type);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static String oneLine(String text) {
        int end = text.indexOf('\n');
        int cr = text.indexOf('\r');
        if (cr >= 0 && (end < 0 || cr < end)) {
            end = cr;
        }
        return (end < 0 ? text : text.substring(0, end)).replace('\t', ' ').strip();
    }

    private static String redact(String text) {
        return KEY_MATERIAL
                .matcher(PEM.matcher(text).replaceAll("[PEM redacted]"))
                .replaceAll("[redacted]");
    }

    private static String unquote(String text) {
        return QUOTED.matcher(text).replaceAll("\"…\"");
    }

    private static String stripPeriod(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
