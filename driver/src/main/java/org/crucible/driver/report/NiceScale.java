package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis range and "nice" tick marks (1, 2, 5 x 10^k steps; Heckbert, "Nice numbers for graph labels", Graphics Gems,
 * 1990): the data range [lo, hi] is widened to whole multiples of the step, with about {@code target} ticks.
 * Immutable. Units are whatever the data carry.
 *
 * <pre>{@code
 * NiceScale s = NiceScale.of(-4.31, -4.02, 6);   // lo -4.4, hi -4.0, step 0.1
 * }</pre>
 *
 * @param lo   lower end of the axis (a multiple of step)
 * @param hi   upper end of the axis (a multiple of step), &gt; lo
 * @param step tick spacing, &gt; 0
 */
public record NiceScale(double lo, double hi, double step) {
    public NiceScale {
        if (!(hi > lo) || !(step > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("axis range [" + lo + ", " + hi + "] step " + step + " is not a finite increasing range");
        }
    }

    /** The nice scale covering [min, max]; a degenerate or empty range is widened to a unit-sized one around it. */
    public static NiceScale of(double min, double max, int target) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 1;
        }
        if (max < min) {
            double t = min;
            min = max;
            max = t;
        }
        if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
            double pad = Math.abs(min) > 0 ? Math.abs(min) * 0.05 : 0.5;
            min -= pad;
            max += pad;
        }
        double range = nice(max - min, false);
        double step = nice(range / Math.max(1, target - 1), true);
        double lo = Math.floor(min / step) * step;
        double hi = Math.ceil(max / step) * step;
        if (hi <= lo) hi = lo + step;
        return new NiceScale(lo, hi, step);
    }

    /** Heckbert's nice number: 1, 2, 5 or 10 times a power of ten, rounded or taken as the ceiling. */
    static double nice(double x, boolean round) {
        double exp = Math.floor(Math.log10(x));
        double f = x / Math.pow(10, exp);
        double nf;
        if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nf * Math.pow(10, exp);
    }

    /** Tick values from lo to hi inclusive. */
    public List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        long n = Math.round((hi - lo) / step);
        for (long i = 0; i <= n; i++) t.add(lo + i * step);
        return t;
    }

    /** A tick label with as many decimals as the step needs (no "0.30000000000000004"). */
    public String label(double v) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(v) < step * 1e-6) v = 0;
        double mag = Math.max(Math.abs(lo), Math.abs(hi));
        if (mag >= 1e5 || (mag > 0 && mag < 1e-3)) return String.format(Locale.ROOT, "%.2g", v);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Fraction of the way from lo to hi (0..1 inside the axis). */
    public double fraction(double v) {
        return (v - lo) / (hi - lo);
    }
}
