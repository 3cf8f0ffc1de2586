package org.crucible.driver.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.crucible.core.Structure;

/**
 * A small ball-and-stick picture of a periodic cell as inline SVG, for the report's best-structure table: the cell's
 * edges, its atoms (wrapped into the cell) and the bonds to their periodic images shorter than 1.2 times the sum of
 * the covalent radii (Angstrom), seen along a fixed oblique direction (rotated 25 degrees about x, then 35 degrees
 * about y), orthographic, painted back to front. Atom colours follow the element (Okabe-Ito by atomic number); bonds
 * are drawn as two grey halves, one from each atom to the bond's midpoint.
 *
 * <pre>{@code String svg = StructureSvg.render(structure, 140); }</pre>
 */
public final class StructureSvg {
    /** Bond when d &lt; BOND_FACTOR (r_cov,i + r_cov,j). */
    public static final double BOND_FACTOR = 1.2;

    private StructureSvg() {
    }

    private record Item(double depth, String svg) {
    }

    /** The picture, {@code size} x {@code size} pixels. */
    public static String render(Structure s, int size) {
        double[] m = s.cell().matrix();
        double[] a = {m[0], m[1], m[2]}, b = {m[3], m[4], m[5]}, c = {m[6], m[7], m[8]};
        double ax = Math.toRadians(25), ay = Math.toRadians(35);
        double[][] rot = mul(new double[][] {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}},
                new double[][] {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}});
        int n = s.size();
        double[] frac = s.fractionalPositions();
        double[][] pos = new double[n][];
        for (int i = 0; i < n; i++) {
            double f0 = wrap(frac[3 * i]), f1 = wrap(frac[3 * i + 1]), f2 = wrap(frac[3 * i + 2]);
            pos[i] = new double[] {f0 * a[0] + f1 * b[0] + f2 * c[0], f0 * a[1] + f1 * b[1] + f2 * c[1], f0 * a[2] + f1 * b[2] + f2 * c[2]};
        }
        List<double[]> corners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double f0 = i & 1, f1 = (i >> 1) & 1, f2 = (i >> 2) & 1;
            corners.add(apply(rot, new double[] {f0 * a[0] + f1 * b[0] + f2 * c[0], f0 * a[1] + f1 * b[1] + f2 * c[1], f0 * a[2] + f1 * b[2] + f2 * c[2]}));
        }
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) p[i] = apply(rot, pos[i]);
        // bonds to the nearest periodic images: from atom i to the bond's midpoint (half-bonds), rotated
        List<double[]> halfBonds = new ArrayList<>(); // {i, midX, midY, midZ}
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double cut = BOND_FACTOR * (s.element(i).covalentRadius() + s.element(j).covalentRadius());
                for (int u = -1; u <= 1; u++) {
                    for (int v = -1; v <= 1; v++) {
                        for (int w = -1; w <= 1; w++) {
                            if (i == j && u == 0 && v == 0 && w == 0) continue;
                            double dx = pos[j][0] + u * a[0] + v * b[0] + w * c[0] - pos[i][0];
                            double dy = pos[j][1] + u * a[1] + v * b[1] + w * c[1] - pos[i][1];
                            double dz = pos[j][2] + u * a[2] + v * b[2] + w * c[2] - pos[i][2];
                            if (dx * dx + dy * dy + dz * dz >= cut * cut) continue;
                            double[] mid = apply(rot, new double[] {pos[i][0] + dx / 2, pos[i][1] + dy / 2, pos[i][2] + dz / 2});
                            halfBonds.add(new double[] {i, mid[0], mid[1], mid[2]});
                        }
                    }
                }
            }
        }
        List<double[]> extent = new ArrayList<>(corners);
        for (double[] h : halfBonds) extent.add(new double[] {h[1], h[2], h[3]});
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] q : extent) {
            minX = Math.min(minX, q[0]);
            maxX = Math.max(maxX, q[0]);
            minY = Math.min(minY, q[1]);
            maxY = Math.max(maxY, q[1]);
        }
        double pad = 8, scale = (size - 2 * pad) / Math.max(1e-9, Math.max(maxX - minX, maxY - minY));
        double ox = pad + ((size - 2 * pad) - scale * (maxX - minX)) / 2 - scale * minX;
        double oy = pad + ((size - 2 * pad) - scale * (maxY - minY)) / 2 + scale * maxY;
        List<Item> items = new ArrayList<>();
        for (double[] h : halfBonds) {
            int i = (int) h[0];
            items.add(new Item((p[i][2] + h[3]) / 2 - 0.01, String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555555\" stroke-width=\"%.1f\" stroke-linecap=\"round\"/>",
                    ox + scale * p[i][0], oy - scale * p[i][1], ox + scale * h[1], oy - scale * h[2], Math.max(1.5, 0.22 * scale))));
        }
        for (int i = 0; i < n; i++) {
            double r = Math.max(2.0, 0.35 * scale * s.element(i).covalentRadius());
            items.add(new Item(p[i][2], String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#222\" stroke-width=\"0.6\"/>",
                    ox + scale * p[i][0], oy - scale * p[i][1], r, color(s.atomicNumber(i)))));
        }
        items.sort(Comparator.comparingDouble(Item::depth));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cell\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s cell\">",
                size, size, size, size, Html.escape(s.formula())));
        int[][] edges = {{0, 1}, {0, 2}, {0, 4}, {1, 3}, {1, 5}, {2, 3}, {2, 6}, {3, 7}, {4, 5}, {4, 6}, {5, 7}, {6, 7}};
        for (int[] e : edges) {
            double[] q0 = corners.get(e[0]), q1 = corners.get(e[1]);
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-width=\"0.8\"/>",
                    ox + scale * q0[0], oy - scale * q0[1], ox + scale * q1[0], oy - scale * q1[1]));
        }
        for (Item it : items) out.append(it.svg());
        return out.append("</svg>").toString();
    }

    private static String color(int z) {
        return Palette.category(Math.floorMod(z, 8));
    }

    private static double wrap(double f) {
        double w = f - Math.floor(f);
        return w >= 1 ? 0 : w;
    }

    private static double[] apply(double[][] r, double[] v) {
        return new double[] {r[0][0] * v[0] + r[0][1] * v[1] + r[0][2] * v[2], r[1][0] * v[0] + r[1][1] * v[1] + r[1][2] * v[2],
            r[2][0] * v[0] + r[2][1] * v[1] + r[2][2] * v[2]};
    }

    private static double[][] mul(double[][] x, double[][] y) {
        double[][] z = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) z[i][j] += x[i][k] * y[k][j];
        return z;
    }
}
