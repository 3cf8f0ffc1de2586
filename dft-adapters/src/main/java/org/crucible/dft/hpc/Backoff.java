package org.crucible.dft.hpc;

import java.time.Duration;

/**
 * Exponential backoff: attempt {@code k} (0-based) waits {@code min(initial * factor^k, max)}.
 *
 * @param initial first delay, positive
 * @param factor growth per attempt, at least 1
 * @param max upper bound on one delay
 * @param maxAttempts attempts before giving up, at least 1
 */
public record Backoff(Duration initial, double factor, Duration max, int maxAttempts) {
    public static final Backoff DEFAULT_RECONNECT = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 8);

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be >= 1, got " + factor);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay " + max + " is below the initial delay " + initial);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("backoff maxAttempts must be >= 1, got " + maxAttempts);
    }

    /** Delay before retry number {@code attempt} (0 = first retry). */
    public Duration delay(int attempt) {
        double ms = initial.toMillis() * Math.pow(factor, Math.min(attempt, 62));
        return ms >= max.toMillis() ? max : Duration.ofMillis((long) ms);
    }
}
