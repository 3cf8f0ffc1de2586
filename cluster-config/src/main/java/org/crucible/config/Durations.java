package org.crucible.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in cluster profiles: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, SLURM's
 * {@code [D-]HH:MM:SS} / {@code MM:SS}, or ISO-8601 {@code PT30S}.
 */
public final class Durations {
    private static final Pattern UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the accepted forms */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = UNIT.matcher(t);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double ms = switch (m.group(2)) {
                case "ms" -> v;
                case "s" -> v * 1e3;
                case "m", "min" -> v * 60e3;
                case "h" -> v * 3600e3;
                default -> v * 86400e3;
            };
            return Duration.ofMillis(Math.round(ms));
        }
        m = CLOCK.matcher(t);
        if (m.matches()) {
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long a = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            long b = Long.parseLong(m.group(3));
            long c = Long.parseLong(m.group(4));
            // "HH:MM:SS" when three fields, SLURM's "MM:SS" when two
            long seconds = m.group(2) == null ? b * 60 + c : a * 3600 + b * 60 + c;
            return Duration.ofSeconds(days * 86400 + seconds);
        }
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 2h, 1d, 01:30:00, 1-00:00:00, PT30S)", e);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 2h, 1d, 01:30:00, 1-00:00:00, PT30S)");
    }
}
