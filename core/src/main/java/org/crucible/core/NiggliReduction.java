package org.crucible.core;

import java.util.Arrays;

/**
 * The Niggli-reduced form of a periodic cell and the integer change of basis that produces it.
 *
 * <p>Implements the reduction of Krivy &amp; Gruber, Acta Cryst. A32, 297 (1976), steps 1-8 on the metric
 * parameters A = a.a, B = b.b, C = c.c, xi = 2 b.c, eta = 2 a.c, zeta = 2 a.b, with the numerically stable
 * comparisons of Grosse-Kunstleve, Sauter &amp; Adams, Acta Cryst. A60, 1 (2004): x &lt; y means x &lt; y - eps,
 * signs of xi, eta, zeta are -1/0/+1 with a dead band of eps, and step 4 picks its sign flips so that the
 * transformation keeps det = +1. Like ASE's {@code niggli_reduce_cell}, the metric is recomputed from the
 * transformed lattice vectors after every step instead of being updated by formula, so rounding does not
 * accumulate, and the default eps is 1e-5 V^(1/3) (Angstrom^2 compared with squared lengths, as ASE).
 *
 * <p>The transformation T is a row-major 3x3 integer matrix with det T = +1 and {@code reduced = T L}, where the
 * rows of L are the original lattice vectors: every reduced vector is an integer combination of the old ones, so
 * the lattice (and the volume and handedness) is unchanged.
 *
 * <pre>{@code
 * NiggliReduction r = cell.niggliReduced();
 * Cell reduced = r.cell();          // a <= b <= c, angles all acute or all non-acute
 * int[] t = r.transformation();     // reduced = t * cell
 * }</pre>
 *
 * @param cell           the reduced cell (same periodic flags)
 * @param transformation row-major 3x3 integers, {@code reduced = transformation * original}
 */
public record NiggliReduction(Cell cell, int[] transformation) {
    public NiggliReduction {
        if (transformation.length != 9) throw new IllegalArgumentException("transformation needs 9 integers");
        transformation = transformation.clone();
    }

    @Override
    public int[] transformation() {
        return transformation.clone();
    }

    /** Default epsilon of the comparisons for a cell: 1e-5 V^(1/3), as ASE. */
    public static double defaultEpsilon(Cell cell) {
        return 1e-5 * Math.cbrt(cell.volume());
    }

    /** Reduces a fully periodic cell with the default epsilon. */
    static NiggliReduction reduce(Cell cell) {
        return reduce(cell, defaultEpsilon(cell));
    }

    /**
     * Reduces a fully periodic cell.
     *
     * @param eps tolerance of the comparisons (Angstrom^2 scale, see the class comment), &gt;= 0
     * @throws IllegalArgumentException for a cell that is not fully periodic
     * @throws IllegalStateException    if the reduction does not finish (cannot happen for a valid cell and eps)
     */
    static NiggliReduction reduce(Cell cell, double eps) {
        if (!cell.isFullyPeriodic()) throw new IllegalArgumentException("Niggli reduction needs a fully periodic cell, got pbc " + Arrays.toString(cell.pbc()));
        if (!(eps >= 0)) throw new IllegalArgumentException("Niggli epsilon must be >= 0, got " + eps);
        final double[] l0 = cell.matrix();
        int[] t = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int iter = 0; iter < 10_000; iter++) {
            double[] l = apply(t, l0);
            double a = dot(l, 0, 0), b = dot(l, 3, 3), c = dot(l, 6, 6);
            double xi = 2 * dot(l, 3, 6), eta = 2 * dot(l, 0, 6), zeta = 2 * dot(l, 0, 3);
            // Step 1: A <= B, and |xi| <= |eta| when A == B.
            if (gt(a, b, eps) || (eq(a, b, eps) && gt(Math.abs(xi), Math.abs(eta), eps))) {
                t = mul(new int[] {0, -1, 0, -1, 0, 0, 0, 0, -1}, t);
                continue;
            }
            // Step 2: B <= C, and |eta| <= |zeta| when B == C; then back to step 1.
            if (gt(b, c, eps) || (eq(b, c, eps) && gt(Math.abs(eta), Math.abs(zeta), eps))) {
                t = mul(new int[] {-1, 0, 0, 0, 0, -1, 0, -1, 0}, t);
                continue;
            }
            int l1 = sign(xi, eps), m1 = sign(eta, eps), n1 = sign(zeta, eps);
            if (l1 * m1 * n1 == 1) {
                // Step 3: make xi, eta, zeta all positive (flip the vectors opposite the negative products).
                int i = l1 == -1 ? -1 : 1, j = m1 == -1 ? -1 : 1, k = n1 == -1 ? -1 : 1;
                if (i != 1 || j != 1 || k != 1) {
                    t = mul(new int[] {i, 0, 0, 0, j, 0, 0, 0, k}, t);
                    continue;
                }
            } else {
                // Step 4: make them all non-positive; a zero one absorbs the extra flip so det stays +1.
                int[] f = {1, 1, 1};
                int zeroAt = -1;
                int[] s = {l1, m1, n1};
                for (int q = 0; q < 3; q++) {
                    if (s[q] == 1) f[q] = -1;
                    else if (s[q] == 0) zeroAt = q;
                }
                if (f[0] * f[1] * f[2] < 0) {
                    if (zeroAt < 0) throw new IllegalStateException("Niggli step 4: no zero parameter to fix the sign (cannot happen)");
                    f[zeroAt] = -1;
                }
                if (f[0] != 1 || f[1] != 1 || f[2] != 1) {
                    t = mul(new int[] {f[0], 0, 0, 0, f[1], 0, 0, 0, f[2]}, t);
                    continue;
                }
            }
            // Step 5: |xi| <= B.
            if (gt(Math.abs(xi), b, eps) || (eq(xi, b, eps) && lt(2 * eta, zeta, eps)) || (eq(xi, -b, eps) && lt(zeta, 0, eps))) {
                int sg = xi > 0 ? 1 : -1;
                t = mul(new int[] {1, 0, 0, 0, 1, 0, 0, -sg, 1}, t); // c -= sign(xi) b
                continue;
            }
            // Step 6: |eta| <= A.
            if (gt(Math.abs(eta), a, eps) || (eq(eta, a, eps) && lt(2 * xi, zeta, eps)) || (eq(eta, -a, eps) && lt(zeta, 0, eps))) {
                int sg = eta > 0 ? 1 : -1;
                t = mul(new int[] {1, 0, 0, 0, 1, 0, -sg, 0, 1}, t); // c -= sign(eta) a
                continue;
            }
            // Step 7: |zeta| <= A.
            if (gt(Math.abs(zeta), a, eps) || (eq(zeta, a, eps) && lt(2 * xi, eta, eps)) || (eq(zeta, -a, eps) && lt(eta, 0, eps))) {
                int sg = zeta > 0 ? 1 : -1;
                t = mul(new int[] {1, 0, 0, -sg, 1, 0, 0, 0, 1}, t); // b -= sign(zeta) a
                continue;
            }
            // Step 8: xi + eta + zeta + A + B >= 0.
            double sum = xi + eta + zeta + a + b;
            if (lt(sum, 0, eps) || (eq(sum, 0, eps) && gt(2 * (a + eta) + zeta, 0, eps))) {
                t = mul(new int[] {1, 0, 0, 0, 1, 0, 1, 1, 1}, t); // c += a + b
                continue;
            }
            return new NiggliReduction(cell.withMatrix(l), t);
        }
        throw new IllegalStateException("Niggli reduction did not converge in 10000 steps for " + cell);
    }

    private static boolean lt(double x, double y, double eps) {
        return x < y - eps;
    }

    private static boolean gt(double x, double y, double eps) {
        return lt(y, x, eps);
    }

    private static boolean eq(double x, double y, double eps) {
        return !lt(x, y, eps) && !lt(y, x, eps);
    }

    private static int sign(double x, double eps) {
        return lt(0, x, eps) ? 1 : lt(x, 0, eps) ? -1 : 0;
    }

    private static double dot(double[] l, int i, int j) {
        return l[i] * l[j] + l[i + 1] * l[j + 1] + l[i + 2] * l[j + 2];
    }

    /** t * l for an integer 3x3 t and a real 3x3 l, both row-major. */
    static double[] apply(int[] t, double[] l) {
        double[] out = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) out[3 * r + c] = t[3 * r] * l[c] + t[3 * r + 1] * l[3 + c] + t[3 * r + 2] * l[6 + c];
        }
        return out;
    }

    private static int[] mul(int[] p, int[] q) {
        int[] out = new int[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) out[3 * r + c] = p[3 * r] * q[c] + p[3 * r + 1] * q[3 + c] + p[3 * r + 2] * q[6 + c];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NiggliReduction r && cell.equals(r.cell) && Arrays.equals(transformation, r.transformation);
    }

    @Override
    public int hashCode() {
        return 31 * cell.hashCode() + Arrays.hashCode(transformation);
    }

    @Override
    public String toString() {
        return "NiggliReduction[" + cell + ", T=" + Arrays.toString(transformation) + "]";
    }
}
