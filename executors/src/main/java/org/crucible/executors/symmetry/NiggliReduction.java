package org.crucible.executors.symmetry;

import org.crucible.core.Cell;
import org.crucible.core.Structure;

/**
 * Niggli reduction of a lattice: the algorithm of Krivy and Gruber, Acta Cryst. A32, 297 (1976), with the
 * epsilon comparisons of Grosse-Kunstleve, Sauter and Adams, Acta Cryst. A60, 1 (2004). The result is the
 * unique Niggli cell of the lattice (up to the tolerance), obtained by an integer unimodular change of basis with
 * determinant +1, so the lattice, its handedness and the crystal are unchanged.
 *
 * <p>Works on the basis vectors themselves (each step is applied to the accumulated integer matrix and the
 * metric recomputed from it), so rounding never accumulates.
 *
 * <pre>{@code
 * NiggliReduction.Result r = NiggliReduction.reduce(cell, 1e-5);
 * Cell niggli = r.cell();          // rows = r.transform() * rows of cell
 * Structure s2 = NiggliReduction.reduce(structure, 1e-5);
 * }</pre>
 */
public final class NiggliReduction {
    private static final int MAX_STEPS = 10_000;

    private NiggliReduction() {
    }

    /**
     * @param cell      the reduced cell
     * @param transform integer row-major matrix T (det +1) with reduced rows = T * original rows
     */
    public record Result(Cell cell, int[] transform) {
        public Result {
            transform = transform.clone();
        }

        @Override
        public int[] transform() {
            return transform.clone();
        }
    }

    /**
     * Niggli-reduces a fully periodic cell.
     *
     * @param relativeTolerance epsilon relative to V^(2/3) for the comparisons of metric entries (1e-5 is usual)
     */
    public static Result reduce(Cell cell, double relativeTolerance) {
        if (!cell.isFullyPeriodic()) throw new IllegalArgumentException("Niggli reduction needs a fully periodic cell");
        double[] l0 = cell.matrix();
        double eps = relativeTolerance * Math.pow(cell.volume(), 2.0 / 3.0);
        int[] t = IntMatrix.identity();
        double[] l = l0.clone();
        for (int step = 0; step < MAX_STEPS; step++) {
            double a = dot(l, 0, 0), b = dot(l, 1, 1), c = dot(l, 2, 2);
            double xi = 2 * dot(l, 1, 2), eta = 2 * dot(l, 0, 2), zeta = 2 * dot(l, 0, 1);
            int[] m = null;
            if (a > b + eps || (Math.abs(a - b) <= eps && Math.abs(xi) > Math.abs(eta) + eps)) {
                m = new int[] {0, -1, 0, -1, 0, 0, 0, 0, -1};
            } else if (b > c + eps || (Math.abs(b - c) <= eps && Math.abs(eta) > Math.abs(zeta) + eps)) {
                m = new int[] {-1, 0, 0, 0, 0, -1, 0, -1, 0};
            } else {
                int sx = sign(xi, eps), se = sign(eta, eps), sz = sign(zeta, eps);
                boolean allPositive = sx * se * sz > 0;
                if (allPositive && (xi < 0 || eta < 0 || zeta < 0)) {
                    m = new int[] {sx, 0, 0, 0, se, 0, 0, 0, sz};
                } else if (!allPositive && (xi > eps || eta > eps || zeta > eps)) {
                    int i = xi > eps ? -1 : 1, j = eta > eps ? -1 : 1, k = zeta > eps ? -1 : 1;
                    if (i * j * k < 0) {
                        if (sx == 0) i = -i;
                        else if (se == 0) j = -j;
                        else if (sz == 0) k = -k;
                    }
                    m = new int[] {i, 0, 0, 0, j, 0, 0, 0, k};
                } else if (Math.abs(xi) > b + eps || (Math.abs(xi - b) <= eps && 2 * eta < zeta - eps)
                        || (Math.abs(xi + b) <= eps && zeta < -eps)) {
                    m = new int[] {1, 0, 0, 0, 1, -(int) Math.signum(xi), 0, 0, 1};
                } else if (Math.abs(eta) > a + eps || (Math.abs(eta - a) <= eps && 2 * xi < zeta - eps)
                        || (Math.abs(eta + a) <= eps && zeta < -eps)) {
                    m = new int[] {1, 0, -(int) Math.signum(eta), 0, 1, 0, 0, 0, 1};
                } else if (Math.abs(zeta) > a + eps || (Math.abs(zeta - a) <= eps && 2 * xi < eta - eps)
                        || (Math.abs(zeta + a) <= eps && eta < -eps)) {
                    m = new int[] {1, -(int) Math.signum(zeta), 0, 0, 1, 0, 0, 0, 1};
                } else if (xi + eta + zeta + a + b < -eps
                        || (Math.abs(xi + eta + zeta + a + b) <= eps && 2 * (a + eta) + zeta > eps)) {
                    m = new int[] {1, 0, 1, 0, 1, 1, 0, 0, 1};
                }
            }
            if (m == null) {
                return new Result(cell.withMatrix(l), t);
            }
            // columns of m express the new basis in the old one; on row vectors that is T' = m^T T
            t = IntMatrix.multiply(IntMatrix.transpose(m), t);
            l = apply(t, l0);
        }
        throw new IllegalStateException("Niggli reduction did not converge in " + MAX_STEPS + " steps for " + cell);
    }

    /** The structure in its Niggli cell (same Cartesian frame), positions wrapped into the new cell. */
    public static Structure reduce(Structure s, double relativeTolerance) {
        Result r = reduce(s.cell(), relativeTolerance);
        return s.withCell(r.cell(), false).wrapped();
    }

    /** Rows T * L for integer T and real L (row-major 3x3). */
    static double[] apply(int[] t, double[] l) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[3 * i + j] = t[3 * i] * l[j] + t[3 * i + 1] * l[3 + j] + t[3 * i + 2] * l[6 + j];
            }
        }
        return out;
    }

    private static int sign(double v, double eps) {
        return v > eps ? 1 : (v < -eps ? -1 : 0);
    }

    private static double dot(double[] l, int i, int j) {
        return l[3 * i] * l[3 * j] + l[3 * i + 1] * l[3 * j + 1] + l[3 * i + 2] * l[3 * j + 2];
    }
}
