package org.crucible.executors.descriptors;

import java.util.Random;
import org.crucible.core.Cell;
import org.crucible.core.Structure;

/** Structure builders and symmetry operations for descriptor tests. */
final class TestStructures {
    private TestStructures() {
    }

    /** Diamond Si, conventional cubic cell (8 atoms) repeated n x n x n, lattice constant a. */
    static Structure diamond(double a, int n, int z) {
        double[][] basis = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {0.25, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.75, 0.25, 0.75}, {0.75, 0.75, 0.25}};
        int count = 8 * n * n * n;
        double[] xyz = new double[3 * count];
        int[] zs = new int[count];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    for (double[] b : basis) {
                        xyz[3 * p] = (i + b[0]) * a;
                        xyz[3 * p + 1] = (j + b[1]) * a;
                        xyz[3 * p + 2] = (k + b[2]) * a;
                        zs[p++] = z;
                    }
                }
            }
        }
        return Structure.of(Cell.cubic(a * n), zs, xyz);
    }

    /**
     * A random triclinic cell of {@code n} atoms with the given atomic numbers cycled, volume per atom vpa,
     * minimum pair distance at least dmin (rejection sampling).
     */
    static Structure randomCell(Random rnd, int n, int[] zs, double vpa, double dmin) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            double a = 1 + 0.3 * rnd.nextDouble(), b = 1 + 0.3 * rnd.nextDouble(), c = 1 + 0.3 * rnd.nextDouble();
            double al = 70 + 40 * rnd.nextDouble(), be = 70 + 40 * rnd.nextDouble(), ga = 70 + 40 * rnd.nextDouble();
            Cell cell;
            try {
                cell = Cell.fromParameters(a, b, c, al, be, ga);
            } catch (IllegalArgumentException e) {
                continue;
            }
            double scale = Math.cbrt(n * vpa / Math.abs(cell.volume()));
            cell = Cell.fromParameters(a * scale, b * scale, c * scale, al, be, ga);
            int[] z = new int[n];
            double[] frac = new double[3 * n];
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                z[i] = zs[i % zs.length];
                boolean placed = false;
                for (int t = 0; t < 2000 && !placed; t++) {
                    for (int k = 0; k < 3; k++) frac[3 * i + k] = rnd.nextDouble();
                    placed = minDistance(cell, frac, i) >= dmin;
                }
                ok = placed;
            }
            if (ok) return Structure.of(cell, z, cell.toCartesianAll(frac));
        }
        throw new IllegalStateException("could not place atoms");
    }

    private static double minDistance(Cell cell, double[] frac, int i) {
        double best = Double.POSITIVE_INFINITY;
        double[] m = cell.matrix();
        for (int j = 0; j <= i; j++) {
            for (int a = -1; a <= 1; a++) {
                for (int b = -1; b <= 1; b++) {
                    for (int c = -1; c <= 1; c++) {
                        if (j == i && a == 0 && b == 0 && c == 0) continue;
                        double f0 = frac[3 * j] - frac[3 * i] + a, f1 = frac[3 * j + 1] - frac[3 * i + 1] + b, f2 = frac[3 * j + 2] - frac[3 * i + 2] + c;
                        f0 -= Math.rint(frac[3 * j] - frac[3 * i]);
                        f1 -= Math.rint(frac[3 * j + 1] - frac[3 * i + 1]);
                        f2 -= Math.rint(frac[3 * j + 2] - frac[3 * i + 2]);
                        double x = f0 * m[0] + f1 * m[3] + f2 * m[6], y = f0 * m[1] + f1 * m[4] + f2 * m[7], z = f0 * m[2] + f1 * m[5] + f2 * m[8];
                        best = Math.min(best, Math.sqrt(x * x + y * y + z * z));
                    }
                }
            }
        }
        return best;
    }

    /** A random orthogonal matrix (row-major), with determinant -1 when reflect. */
    static double[] randomRotation(Random rnd, boolean reflect) {
        double q0 = rnd.nextGaussian(), q1 = rnd.nextGaussian(), q2 = rnd.nextGaussian(), q3 = rnd.nextGaussian();
        double n = Math.sqrt(q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3);
        q0 /= n;
        q1 /= n;
        q2 /= n;
        q3 /= n;
        double[] r = {
            1 - 2 * (q2 * q2 + q3 * q3), 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2),
            2 * (q1 * q2 + q0 * q3), 1 - 2 * (q1 * q1 + q3 * q3), 2 * (q2 * q3 - q0 * q1),
            2 * (q1 * q3 - q0 * q2), 2 * (q2 * q3 + q0 * q1), 1 - 2 * (q1 * q1 + q2 * q2)};
        if (reflect) for (int k = 0; k < 9; k++) r[k] = -r[k];
        return r;
    }

    /** Applies x -> R x to every position and lattice vector. */
    static Structure rotate(Structure s, double[] r) {
        double[] p = s.positions();
        double[] out = new double[p.length];
        for (int i = 0; i < p.length / 3; i++) apply(r, p, 3 * i, out, 3 * i);
        double[] m = s.cell().matrix();
        double[] mo = new double[9];
        for (int v = 0; v < 3; v++) apply(r, m, 3 * v, mo, 3 * v);
        return Structure.of(new Cell(mo, s.cell().pbc()), s.atomicNumbers(), out);
    }

    private static void apply(double[] r, double[] in, int io, double[] out, int oo) {
        for (int a = 0; a < 3; a++) out[oo + a] = r[3 * a] * in[io] + r[3 * a + 1] * in[io + 1] + r[3 * a + 2] * in[io + 2];
    }

    static Structure translate(Structure s, double dx, double dy, double dz) {
        double[] p = s.positions();
        for (int i = 0; i < p.length / 3; i++) {
            p[3 * i] += dx;
            p[3 * i + 1] += dy;
            p[3 * i + 2] += dz;
        }
        return s.withPositions(p);
    }

    /** Atoms reordered: new atom k is old atom perm[k]. */
    static Structure permute(Structure s, int[] perm) {
        double[] p = s.positions();
        double[] out = new double[p.length];
        int[] z = new int[perm.length];
        for (int k = 0; k < perm.length; k++) {
            System.arraycopy(p, 3 * perm[k], out, 3 * k, 3);
            z[k] = s.atomicNumber(perm[k]);
        }
        return Structure.of(s.cell(), z, out);
    }

    /** 2 x 2 x 2 supercell: atom i + N * (4a + 2b + c) is atom i shifted by (a, b, c) lattice vectors. */
    static Structure supercell2(Structure s) {
        int n = s.size();
        double[] l = s.cell().matrix();
        double[] p = s.positions();
        double[] out = new double[3 * n * 8];
        int[] z = new int[n * 8];
        for (int t = 0; t < 8; t++) {
            int a = t >> 2 & 1, b = t >> 1 & 1, c = t & 1;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 3; k++) out[3 * (t * n + i) + k] = p[3 * i + k] + a * l[k] + b * l[3 + k] + c * l[6 + k];
                z[t * n + i] = s.atomicNumber(i);
            }
        }
        double[] m = new double[9];
        for (int k = 0; k < 9; k++) m[k] = 2 * l[k];
        return Structure.of(new Cell(m, s.cell().pbc()), z, out);
    }

    /** Largest relative difference seen by {@link #relativeDifference} in this JVM, for the test log. */
    static double worstSeen;

    /** max_k |a_k - b_k| / max(max_k |a_k|, tiny). */
    static synchronized double relativeDifference(double[] a, double[] b) {
        double num = 0, den = 1e-300;
        for (int k = 0; k < a.length; k++) {
            num = Math.max(num, Math.abs(a[k] - b[k]));
            den = Math.max(den, Math.abs(a[k]));
        }
        worstSeen = Math.max(worstSeen, num / den);
        return num / den;
    }
}
