package org.crucible.driver.report;

import java.util.Locale;

/**
 * Colours of the report: the viridis map (perceptually uniform, readable in grey scale and by most colour-blind
 * readers; anchor colours of matplotlib's viridis, linearly interpolated) and a ten-colour categorical palette
 * (Okabe-Ito order extended).
 */
public final class Palette {
    private static final int[][] VIRIDIS = {
            {68, 1, 84}, {72, 40, 120}, {62, 74, 137}, {49, 104, 142}, {38, 130, 142},
            {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}};
    private static final String[] CATEGORY = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000", "#8C564B",
            "#7F7F7F"};

    private Palette() {
    }

    /** Viridis at t in [0, 1] (clamped; NaN gives grey) as {@code #rrggbb}. */
    public static String viridis(double t) {
        if (!Double.isFinite(t)) return "#999999";
        t = Math.max(0, Math.min(1, t));
        double p = t * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) p);
        double f = p - i;
        int[] a = VIRIDIS[i], c = VIRIDIS[i + 1];
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(a[0] + f * (c[0] - a[0])), Math.round(a[1] + f * (c[1] - a[1])),
                Math.round(a[2] + f * (c[2] - a[2])));
    }

    /** The i-th categorical colour (cycling after ten). */
    public static String category(int i) {
        return CATEGORY[Math.floorMod(i, CATEGORY.length)];
    }

    /** Colour of "other" categories. */
    public static final String OTHER = "#c8c8c8";
    /** Colour of failures. */
    public static final String FAILURE = "#d62728";
}
