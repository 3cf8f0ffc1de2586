package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small inline-SVG plotting kit for the campaign report: axes with nice ticks and labels (units in the label text),
 * scatter and line series, bars, a y = x reference line, a continuous colour bar and a legend. No JavaScript, no
 * external CSS: {@link #render()} returns one {@code <svg>} element carrying {@code data-plot} (its id) and
 * {@code data-points} (the number of data points it represents) for tests.
 *
 * <p>Large data stay legible: a scatter series with more than {@link #MAX_MARKERS} points is drawn as a 2-D histogram
 * of {@link #BINS_X} x {@link #BINS_Y} cells (colour = log count, or the mean of the colour value when the series is
 * coloured by a value), a categorical series is thinned deterministically (every k-th point in the given order), and
 * the plot says so in a note under the title. Non-finite values are skipped and counted in the note.
 *
 * <pre>{@code
 * String svg = new SvgPlot("parity-e", "Energy parity", "oracle E (eV/atom)", "model E (eV/atom)")
 *         .scatter("cycle 1", x, y, Palette.category(0)).diagonal().render();
 * }</pre>
 */
public final class SvgPlot {
    /** Largest number of individual markers drawn per series before binning or thinning. */
    public static final int MAX_MARKERS = 4000;
    public static final int BINS_X = 70;
    public static final int BINS_Y = 50;
    public static final int WIDTH = 620;
    public static final int HEIGHT = 420;
    private static final int LEFT = 78, RIGHT = 122, TOP = 46, BOTTOM = 58;

    private final String id;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean diagonal;
    private boolean robust;
    private String colorLabel;
    private double[] colorRange;
    private double[] fixedX;

    private enum Kind { SCATTER, LINE, BARS, VALUE_SCATTER }

    private record Series(Kind kind, String name, double[] x, double[] y, double[] c, String color, boolean dashed, double width) {
    }

    public SvgPlot(String id, String title, String xLabel, String yLabel) {
        if (!id.matches("[a-z0-9-]+")) throw new IllegalArgumentException("plot id must be [a-z0-9-]+, got '" + id + "'");
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Markers of one colour; named series appear in the legend. */
    public SvgPlot scatter(String name, double[] x, double[] y, String color) {
        check(x, y);
        series.add(new Series(Kind.SCATTER, name, x.clone(), y.clone(), null, color, false, 0));
        return this;
    }

    /** Markers coloured by {@code c} on the viridis scale, with a colour bar labelled {@code cLabel}. */
    public SvgPlot scatterByValue(double[] x, double[] y, double[] c, String cLabel) {
        check(x, y);
        check(x, c);
        if (colorLabel != null) throw new IllegalStateException("plot " + id + " has a value-coloured series already");
        series.add(new Series(Kind.VALUE_SCATTER, null, x.clone(), y.clone(), c.clone(), null, false, 0));
        colorLabel = cLabel;
        return this;
    }

    /** A polyline with markers; {@code dashed} for a second kind of line. Non-finite points break nothing: they are skipped. */
    public SvgPlot line(String name, double[] x, double[] y, String color, boolean dashed) {
        check(x, y);
        series.add(new Series(Kind.LINE, name, x.clone(), y.clone(), null, color, dashed, 0));
        return this;
    }

    /** Vertical bars of width {@code width} (x units) centred on x, from 0 to y. */
    public SvgPlot bars(String name, double[] x, double[] y, String color, double width) {
        check(x, y);
        series.add(new Series(Kind.BARS, name, x.clone(), y.clone(), null, color, false, width));
        return this;
    }

    /** Draws y = x (parity plots); the axes then share one range. */
    public SvgPlot diagonal() {
        diagonal = true;
        return this;
    }

    /**
     * Axis ranges from the 0.2 % and 99.8 % quantiles of the data, and no further than 10 interquartile ranges beyond the
     * quartiles (widened by 10 %), instead of the extremes, when there are more than 100 points, so a few outliers do
     * not squash the bulk; the plot notes how many points lie outside.
     */
    public SvgPlot robust() {
        robust = true;
        return this;
    }

    /** A fixed x range (e.g. space group numbers 1 to 230) instead of one from the data; data outside it are clipped. */
    public SvgPlot xRange(double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("x range needs lo < hi, got " + lo + " and " + hi);
        fixedX = new double[] {lo, hi};
        return this;
    }

    /** A line of text under the title (e.g. RMSE). */
    public SvgPlot note(String text) {
        notes.add(text);
        return this;
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("series arrays differ in length: " + a.length + " and " + b.length);
    }

    /** The plot's id (its {@code data-plot} attribute). */
    public String id() {
        return id;
    }

    /** Number of data points over all series. */
    public int points() {
        return series.stream().mapToInt(s -> s.x.length).sum();
    }

    /** The SVG element. */
    public String render() {
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY, ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        int skipped = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i]) || (s.c != null && !Double.isFinite(s.c[i]))) {
                    skipped++;
                    continue;
                }
                double half = s.kind == Kind.BARS ? s.width / 2 : 0;
                xmin = Math.min(xmin, s.x[i] - half);
                xmax = Math.max(xmax, s.x[i] + half);
                ymin = Math.min(ymin, s.kind == Kind.BARS ? Math.min(0, s.y[i]) : s.y[i]);
                ymax = Math.max(ymax, s.y[i]);
            }
        }
        int outside = 0;
        if (robust && xmin <= xmax) {
            double[] qx = quantiles(true), qy = quantiles(false);
            if (qx != null) {
                if (diagonal) {
                    qx[0] = qy[0] = Math.min(qx[0], qy[0]);
                    qx[1] = qy[1] = Math.max(qx[1], qy[1]);
                }
                xmin = Math.max(xmin, qx[0]);
                xmax = Math.min(xmax, qx[1]);
                ymin = Math.max(ymin, qy[0]);
                ymax = Math.min(ymax, qy[1]);
                for (Series s : series) {
                    for (int i = 0; i < s.x.length; i++) {
                        if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i]) && (s.x[i] < xmin || s.x[i] > xmax || s.y[i] < ymin || s.y[i] > ymax)) outside++;
                    }
                }
            }
        }
        // Quantities that cannot be negative (errors, uncertainties, counts) keep their axis at zero.
        boolean nonNegativeX = xmin >= 0, nonNegativeY = ymin >= 0;
        // A small margin so markers on the extremes are not cut in half by the frame (bars start at their own edge).
        boolean hasBars = series.stream().anyMatch(s -> s.kind == Kind.BARS);
        if (xmin <= xmax && !hasBars) {
            double px = 0.03 * Math.max(xmax - xmin, 1e-9 + 1e-3 * Math.abs(xmax));
            xmin -= px;
            xmax += px;
        }
        if (ymin <= ymax) {
            double py = 0.03 * Math.max(ymax - ymin, 1e-9 + 1e-3 * Math.abs(ymax));
            ymin = hasBars && ymin == 0 ? 0 : ymin - py;
            ymax += py;
        }
        if (nonNegativeX && xmin < 0) xmin = 0;
        if (nonNegativeY && ymin < 0) ymin = 0;
        if (diagonal && xmin <= xmax) {
            xmin = ymin = Math.min(xmin, ymin);
            xmax = ymax = Math.max(xmax, ymax);
        }
        if (fixedX != null) {
            xmin = fixedX[0];
            xmax = fixedX[1];
        }
        NiceScale sx = NiceScale.of(xmin, xmax, 6);
        NiceScale sy = NiceScale.of(ymin, ymax, 6);
        if (diagonal) {
            sx = NiceScale.of(Math.min(sx.lo(), sy.lo()), Math.max(sx.hi(), sy.hi()), 6);
            sy = sx;
        }
        // The notes (given, non-finite, outliers, one per binned or thinned series) sit between title and frame,
        // so the frame moves down by one line per note beyond the first.
        int lines = notes.size() + (series.isEmpty() || points() == skipped ? 1 : 0) + (skipped > 0 ? 1 : 0) + (outside > 0 ? 1 : 0);
        for (Series s : series) if (s.x.length > MAX_MARKERS && s.kind != Kind.LINE && s.kind != Kind.BARS) lines++;
        int top = TOP + 11 * Math.max(0, lines - 1);
        int pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - top - BOTTOM;
        Frame f = new Frame(sx, sy, LEFT, top, pw, ph);
        StringBuilder b = new StringBuilder(4096);
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" data-plot=\"%s\" data-points=\"%d\" "
                + "data-area=\"%d,%d,%d,%d\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", id, points(), LEFT, top, pw, ph,
                WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>", WIDTH, HEIGHT));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>", LEFT, Html.escape(title)));
        List<String> allNotes = new ArrayList<>(notes);
        if (series.isEmpty() || points() == skipped) allNotes.add("no data");
        if (skipped > 0) allNotes.add(skipped + " non-finite point(s) not shown");
        if (outside > 0) allNotes.add(outside + " point(s) outside the axes (range from the 0.2-99.8 % quantiles, within 10 IQR of the quartiles)");
        StringBuilder body = new StringBuilder();
        double[] valueRange = null;
        for (Series s : series) {
            if (s.kind == Kind.VALUE_SCATTER) valueRange = range(s.c);
        }
        if (valueRange != null) colorRange = valueRange;
        for (Series s : series) {
            switch (s.kind) {
                case BARS -> bars(body, f, s);
                case LINE -> line(body, f, s);
                case SCATTER -> {
                    if (s.x.length > MAX_MARKERS && s.name == null) {
                        binned(body, f, s, allNotes);
                    } else {
                        int stride = (s.x.length + MAX_MARKERS - 1) / MAX_MARKERS;
                        if (stride > 1) allNotes.add(String.format(Locale.ROOT, "%s: every %d-th of %d points shown", s.name, stride, s.x.length));
                        markers(body, f, s, stride);
                    }
                }
                case VALUE_SCATTER -> {
                    if (s.x.length > MAX_MARKERS) binned(body, f, s, allNotes);
                    else markers(body, f, s, 1);
                }
            }
        }
        if (diagonal) {
            body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"diag\"/>", f.x(sx.lo()), f.y(sy.lo()),
                    f.x(sx.hi()), f.y(sy.hi())));
        }
        axes(b, f);
        b.append(String.format(Locale.ROOT, "<svg x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" viewBox=\"%d %d %d %d\" overflow=\"hidden\">", LEFT, top, pw, ph,
                LEFT, top, pw, ph));
        b.append(body).append("</svg>");
        for (int i = 0; i < allNotes.size(); i++) {
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"note\">%s</text>", LEFT, 32 + 11 * i, Html.escape(allNotes.get(i))));
        }
        legend(b, top);
        if (colorRange != null) colorBar(b, colorRange, colorLabel, top);
        b.append("</svg>");
        return b.toString();
    }

    /** The 0.2 % and 99.8 % quantiles of x (or y) over the marker series, widened by 10 %; null with 100 points or fewer. */
    private double[] quantiles(boolean x) {
        int n = 0;
        for (Series s : series) if (s.kind != Kind.BARS) n += s.x.length;
        if (n <= 100) return null;
        double[] v = new double[n];
        int k = 0;
        for (Series s : series) {
            if (s.kind == Kind.BARS) continue;
            for (int i = 0; i < s.x.length; i++) {
                double a = x ? s.x[i] : s.y[i];
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) v[k++] = a;
            }
        }
        if (k <= 100) return null;
        v = java.util.Arrays.copyOf(v, k);
        java.util.Arrays.sort(v);
        double lo = v[(int) Math.floor(0.002 * (k - 1))], hi = v[(int) Math.ceil(0.998 * (k - 1))];
        // With a few hundred points those quantiles are the extremes themselves, so one early model's outliers (-14 vs
        // -4 eV/atom) would still set the range: also keep the axes within 10 interquartile ranges of the quartiles.
        double q1 = v[(int) Math.floor(0.25 * (k - 1))], q3 = v[(int) Math.ceil(0.75 * (k - 1))], iqr = q3 - q1;
        if (iqr > 0) {
            lo = Math.max(lo, q1 - 10 * iqr);
            hi = Math.min(hi, q3 + 10 * iqr);
        }
        double pad = 0.1 * (hi - lo);
        return new double[]{lo - pad, hi + pad};
    }

    private record Frame(NiceScale sx, NiceScale sy, int left, int top, int w, int h) {
        double x(double v) {
            return left + sx.fraction(v) * w;
        }

        double y(double v) {
            return top + h - sy.fraction(v) * h;
        }
    }

    private static double[] range(double[] c) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : c) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo <= hi)) return new double[]{0, 1};
        if (hi == lo) hi = lo + 1e-9;
        return new double[]{lo, hi};
    }

    private void axes(StringBuilder b, Frame f) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>", f.left, f.top, f.w, f.h));
        for (double t : f.sx.ticks()) {
            double px = f.x(t);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>", px, f.top, px, f.top + f.h));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>", px, f.top + f.h + 15, f.sx.label(t)));
        }
        for (double t : f.sy.ticks()) {
            double py = f.y(t);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", f.left, py, f.left + f.w, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>", f.left - 5, py + 4, f.sy.label(t)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>", f.left + f.w / 2.0, HEIGHT - 14,
                Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text transform=\"translate(16 %.1f) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                f.top + f.h / 2.0, Html.escape(yLabel)));
    }

    private void markers(StringBuilder b, Frame f, Series s, int stride) {
        b.append("<g>");
        for (int i = 0; i < s.x.length; i += stride) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
            String fill = s.c != null ? Palette.viridis((s.c[i] - colorRange[0]) / (colorRange[1] - colorRange[0])) : s.color;
            if (s.c != null && !Double.isFinite(s.c[i])) continue;
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" fill-opacity=\"0.8\"/>", f.x(s.x[i]), f.y(s.y[i]), fill));
        }
        b.append("</g>");
    }

    private void binned(StringBuilder b, Frame f, Series s, List<String> notes) {
        int[] count = new int[BINS_X * BINS_Y];
        double[] sum = new double[BINS_X * BINS_Y];
        int n = 0;
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i]) || (s.c != null && !Double.isFinite(s.c[i]))) continue;
            double fx = f.sx.fraction(s.x[i]), fy = f.sy.fraction(s.y[i]);
            if (fx < 0 || fx > 1 || fy < 0 || fy > 1) continue;
            int bx = Math.min(BINS_X - 1, (int) (fx * BINS_X));
            int by = Math.min(BINS_Y - 1, (int) (fy * BINS_Y));
            count[by * BINS_X + bx]++;
            if (s.c != null) sum[by * BINS_X + bx] += s.c[i];
            n++;
        }
        int max = 1;
        for (int c : count) max = Math.max(max, c);
        double cw = (double) f.w / BINS_X, ch = (double) f.h / BINS_Y;
        b.append("<g shape-rendering=\"crispEdges\">");
        for (int by = 0; by < BINS_Y; by++) {
            for (int bx = 0; bx < BINS_X; bx++) {
                int c = count[by * BINS_X + bx];
                if (c == 0) continue;
                double t = s.c != null ? (sum[by * BINS_X + bx] / c - colorRange[0]) / (colorRange[1] - colorRange[0]) : Math.log1p(c) / Math.log1p(max);
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>", f.left + bx * cw,
                        f.top + f.h - (by + 1) * ch, cw + 0.3, ch + 0.3, Palette.viridis(t)));
            }
        }
        b.append("</g>");
        String what = s.c != null ? "colour = mean " + colorLabel : "colour = log10(1 + count), count 1 to " + max;
        notes.add(String.format(Locale.ROOT, "%d points binned into %d x %d cells (%s)", n, BINS_X, BINS_Y, what));
        if (s.c == null && colorRange == null) {
            colorRange = new double[]{0, Math.log10(1 + max)};
            colorLabel = "log10(1 + points)";
        }
    }

    private void line(StringBuilder b, Frame f, Series s) {
        StringBuilder pts = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(s.x[i]), f.y(s.y[i])));
            marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", f.x(s.x[i]), f.y(s.y[i]), s.color));
        }
        b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s/>", pts.toString().trim(), s.color,
                s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
        b.append(marks);
    }

    private void bars(StringBuilder b, Frame f, Series s) {
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
            double x0 = f.x(s.x[i] - s.width / 2), x1 = f.x(s.x[i] + s.width / 2);
            double y0 = f.y(Math.max(0, s.y[i])), y1 = f.y(Math.min(0, s.y[i]));
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x0, y0, Math.max(0.5, x1 - x0),
                    Math.max(0, y1 - y0), s.color));
        }
    }

    private void legend(StringBuilder b, int top) {
        int y = top + 8;
        int x = WIDTH - RIGHT + 10;
        for (Series s : series) {
            if (s.name == null) continue;
            if (s.kind == Kind.LINE) {
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>", x, y, x + 14, y, s.color,
                        s.dashed ? " stroke-dasharray=\"4 3\"" : ""));
            } else {
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x + 2, y - 5, s.color));
            }
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>", x + 18, y + 4, Html.escape(s.name)));
            y += 15;
        }
    }

    private void colorBar(StringBuilder b, double[] r, String label, int frameTop) {
        int x = WIDTH - RIGHT + 18, top = frameTop + 20, h = HEIGHT - frameTop - BOTTOM - 40;
        int steps = 40;
        for (int i = 0; i < steps; i++) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.2f\" fill=\"%s\"/>", x, top + h - (i + 1) * (double) h / steps,
                    h / (double) steps + 0.4, Palette.viridis((i + 0.5) / steps)));
        }
        NiceScale s = NiceScale.of(r[0], r[1], 5);
        for (double t : s.ticks()) {
            if (t < r[0] - 1e-12 || t > r[1] + 1e-12) continue;
            double py = top + h - (t - r[0]) / (r[1] - r[0]) * h;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>", x + 18, py + 4, s.label(t)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>", x - 8, top - 8, Html.escape(label)));
    }
}
