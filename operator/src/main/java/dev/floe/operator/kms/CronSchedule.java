package dev.floe.operator.kms;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 5-field cron format the CronJob controller accepts (plus its @-macros), parsed just far
 * enough to compute the next run for KmsBinding.status.nextRotationTime. Day-of-month and
 * day-of-week combine with OR when both are restricted, as in Vixie cron.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly",
            "0 0 1 1 *",
            "@annually",
            "0 0 1 1 *",
            "@monthly",
            "0 0 1 * *",
            "@weekly",
            "0 0 * * 0",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@hourly",
            "0 * * * *");
    private static final String[] MONTHS = {
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
    };
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronSchedule(String[] f) {
        minutes = field(f[0], 0, 59, null, 0);
        hours = field(f[1], 0, 23, null, 0);
        daysOfMonth = field(f[2], 1, 31, null, 0);
        months = field(f[3], 1, 12, MONTHS, 1);
        daysOfWeek = field(f[4], 0, 7, DAYS, 0);
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
        }
        domRestricted = !f[2].startsWith("*") && !f[2].equals("?");
        dowRestricted = !f[4].startsWith("*") && !f[4].equals("?");
    }

    /** Parses a schedule; empty when it is not a valid cron expression. */
    public static Optional<CronSchedule> parse(String expression) {
        if (expression == null) {
            return Optional.empty();
        }
        String e = MACROS.getOrDefault(expression.trim().toLowerCase(Locale.ROOT), expression.trim());
        String[] fields = e.split("\\s+");
        if (fields.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CronSchedule(fields));
        } catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    /** The first run strictly after {@code after}, searched up to five years ahead. */
    public Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
        ZonedDateTime t =
                after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).withHour(0).withMinute(0);
            } else if (!dayMatches(t)) {
                t = t.plusDays(1).withHour(0).withMinute(0);
            } else if (!hours.get(t.getHour())) {
                t = t.plusHours(1).withMinute(0);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private static BitSet field(String text, int min, int max, String[] names, int nameOffset) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(part.substring(slash + 1));
                range = part.substring(0, slash);
                if (step < 1) {
                    throw new IllegalArgumentException("step");
                }
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                lo = value(ends[0], names, nameOffset);
                hi = value(ends[1], names, nameOffset);
            } else {
                lo = value(range, names, nameOffset);
                hi = slash >= 0 ? max : lo;
            }
            if (lo < min || hi > max || lo > hi) {
                throw new IllegalArgumentException("range");
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int value(String token, String[] names, int offset) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(token)) {
                    return i + offset;
                }
            }
        }
        return Integer.parseInt(token);
    }
}
