package dev.floe.operator.catalog;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Go durations the CRD accepts for certificate lifetimes ({@code 2160h}, {@code 1h30m},
 * {@code 90s}, {@code 1.5h}): the same syntax cert-manager reads, so one field serves both TLS modes.
 */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(h|m|s)");

    private GoDuration() {}

    static Duration parse(String text) {
        Matcher m = PART.matcher(text);
        long millis = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double value = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                default -> 1_000L;
            };
            millis += Math.round(value * unit);
            end = m.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("not a duration like 2160h, 1h30m or 90s: '" + text + "'");
        }
        return Duration.ofMillis(millis);
    }
}
