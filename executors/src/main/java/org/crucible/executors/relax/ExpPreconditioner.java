package org.crucible.executors.relax;

import org.crucible.core.Structure;
import org.crucible.core.neighbors.NeighborList;

/**
 * The Exp preconditioner of D. Packwood, J. Kermode, L. Mones, N. Bernstein, J. Woolley, N. Gould, C. Ortner
 * and G. Csanyi, J. Chem. Phys. 144, 164109 (2016), eq. (10): for atoms i != j closer than r_cut,
 *
 * <pre>
 * P_ij = -mu exp(-A (r_ij / r_nn - 1)),   P_ii = -sum_{j != i} P_ij + mu c_stab
 * </pre>
 *
 * applied to each Cartesian component, with A = 3, r_cut = 2 r_nn and c_stab = 0.1 as in ASE; r_nn is the mean
 * nearest-neighbour distance of the starting structure. The 9 cell degrees of freedom get mu_c I.
 *
 * <p>mu and mu_c are estimated on the fly from the optimiser's own steps (no extra calculator calls): after a
 * step s with force change y, mu = (y.s)_atoms / (s P_1 s)_atoms and mu_c = (y.s)_cell / (s.s)_cell, the
 * Rayleigh quotients of the Hessian along the step; ASE instead probes the Hessian with a sine displacement
 * before the first step. Until the first estimate mu = alpha / mean(diag P_1) so the first step equals ASE's
 * L-BFGS first step on average. P is built from the current geometry and solved by a dense Cholesky
 * factorisation (N x N), meant for the small cells of structure search; it is rebuilt only when an atom or a
 * cell vector has moved more than 0.1 r_nn since the last build.
 *
 * <p>One instance per relaxation (it keeps the estimates).
 */
final class ExpPreconditioner {
    static final double A = 3.0;
    static final double C_STAB = 0.1;

    private final int n;
    private final boolean cell;
    private final double rnn;
    private final double alpha;
    private double mu = Double.NaN, muCell = Double.NaN;
    private final double[] p1; // N x N, P with mu = 1
    private final double[] chol; // Cholesky factor of p1
    private final double[] tmp;
    private final double[] work;
    private double[] builtPositions, builtCell;

    ExpPreconditioner(Structure start, boolean relaxCell, double alpha) {
        this.n = start.size();
        this.cell = relaxCell;
        this.alpha = alpha;
        this.rnn = meanNearestNeighbour(start);
        this.p1 = new double[n * n];
        this.chol = new double[n * n];
        this.tmp = new double[n];
        this.work = new double[3 * n];
    }

    static double meanNearestNeighbour(Structure s) {
        double cut = 3.0;
        for (int attempt = 0; attempt < 20; attempt++, cut *= 1.5) {
            NeighborList nl = NeighborList.build(s, cut);
            double sum = 0;
            boolean all = true;
            for (int i = 0; i < s.size() && all; i++) {
                double best = Double.POSITIVE_INFINITY;
                for (int k = nl.start(i); k < nl.start(i + 1); k++) best = Math.min(best, nl.distance(k));
                if (best == Double.POSITIVE_INFINITY) all = false;
                sum += best;
            }
            if (all && s.size() > 0) return sum / s.size();
        }
        return 2.5;
    }

    /**
     * Builds P_1 at the current geometry and factorises it, unless no atom and no cell vector has moved by more
     * than 0.1 r_nn since the last build (P varies slowly; rebuilding every step would cost more than the step).
     */
    void prepare(Structure current) {
        double[] pos = current.positions();
        double[] cm = current.cell().matrix();
        if (builtPositions != null && maxRowChange(pos, builtPositions) < 0.1 * rnn && maxRowChange(cm, builtCell) < 0.1 * rnn) return;
        builtPositions = pos;
        builtCell = cm;
        java.util.Arrays.fill(p1, 0.0);
        if (current.cell().isFullyPeriodic() && n <= 64) {
            addSmallCellCouplings(current);
        } else {
            NeighborList nl = NeighborList.build(current, 2 * rnn);
            for (int i = 0; i < n; i++) {
                for (int k = nl.start(i); k < nl.start(i + 1); k++) {
                    int j = nl.neighbor(k);
                    if (j == i) continue; // a periodic self-image adds to P_ii and subtracts from it: no net term
                    couple(i, j, nl.distance(k));
                }
            }
        }
        for (int i = 0; i < n; i++) p1[i * n + i] += C_STAB;
        // Cholesky P_1 = L L^T (P_1 is a graph Laplacian plus c_stab I: symmetric positive definite)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = p1[i * n + j];
                for (int k = 0; k < j; k++) sum -= chol[i * n + k] * chol[j * n + k];
                if (i == j) {
                    chol[i * n + i] = Math.sqrt(Math.max(sum, 1e-300));
                } else {
                    chol[i * n + j] = sum / chol[j * n + j];
                }
            }
        }
        if (Double.isNaN(mu)) {
            double diag = 0;
            for (int i = 0; i < n; i++) diag += p1[i * n + i];
            mu = alpha / Math.max(diag / Math.max(1, n), 1e-12);
            muCell = alpha;
        }
    }

    /** Adds the directed contact i -&gt; j at distance r: -c to P_ij and +c to P_ii, c = exp(-A (r/r_nn - 1)). */
    private void couple(int i, int j, double r) {
        double c = Math.exp(-A * (r / rnn - 1.0));
        p1[i * n + j] -= c;
        p1[i * n + i] += c;
    }

    /**
     * All contacts closer than 2 r_nn in a small periodic cell: every pair i &lt; j and, per axis a, only the
     * images n with |u_a + n_a| &lt; r_cut / h_a (u = s_j - s_i); cheaper than a general neighbour list for the
     * 8-32 atom cells of structure search.
     */
    private void addSmallCellCouplings(Structure s) {
        double rcut = 2 * rnn, rc2 = rcut * rcut;
        double[] l = s.cell().matrix();
        double[] h = s.cell().heights();
        double[] x = s.positions();
        double[] f = s.cell().toFractionalAll(x);
        double r0 = rcut / h[0], r1 = rcut / h[1], r2 = rcut / h[2];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double u0 = f[3 * j] - f[3 * i], u1 = f[3 * j + 1] - f[3 * i + 1], u2 = f[3 * j + 2] - f[3 * i + 2];
                double bx = x[3 * j] - x[3 * i], by = x[3 * j + 1] - x[3 * i + 1], bz = x[3 * j + 2] - x[3 * i + 2];
                for (int a = (int) Math.ceil(-r0 - u0), ha = (int) Math.floor(r0 - u0); a <= ha; a++) {
                    for (int b = (int) Math.ceil(-r1 - u1), hb = (int) Math.floor(r1 - u1); b <= hb; b++) {
                        for (int c = (int) Math.ceil(-r2 - u2), hc = (int) Math.floor(r2 - u2); c <= hc; c++) {
                            double dx = bx + a * l[0] + b * l[3] + c * l[6];
                            double dy = by + a * l[1] + b * l[4] + c * l[7];
                            double dz = bz + a * l[2] + b * l[5] + c * l[8];
                            double r2d = dx * dx + dy * dy + dz * dz;
                            if (r2d >= rc2) continue;
                            double r = Math.sqrt(r2d);
                            couple(i, j, r);
                            couple(j, i, r);
                        }
                    }
                }
            }
        }
    }

    private static double maxRowChange(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i += 3) {
            double dx = a[i] - b[i], dy = a[i + 1] - b[i + 1], dz = a[i + 2] - b[i + 2];
            m = Math.max(m, dx * dx + dy * dy + dz * dz);
        }
        return Math.sqrt(m);
    }

    /** Replaces q by P^-1 q. */
    void solve(double[] q) {
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) tmp[i] = q[3 * i + c];
            // forward L y = b, back L^T x = y
            for (int i = 0; i < n; i++) {
                double sum = tmp[i];
                for (int k = 0; k < i; k++) sum -= chol[i * n + k] * tmp[k];
                tmp[i] = sum / chol[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double sum = tmp[i];
                for (int k = i + 1; k < n; k++) sum -= chol[k * n + i] * tmp[k];
                tmp[i] = sum / chol[i * n + i];
            }
            for (int i = 0; i < n; i++) q[3 * i + c] = tmp[i] / mu;
        }
        if (cell) for (int a = 3 * n; a < 3 * n + 9; a++) q[a] /= muCell;
    }

    /** Updates mu and mu_c from a step s and the force change y = g_old - g_new (Rayleigh quotients). */
    void observe(double[] s, double[] y) {
        double ys = 0;
        for (int a = 0; a < 3 * n; a++) ys += y[a] * s[a];
        // s P_1 s over the three components
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) row += p1[i * n + j] * s[3 * j + c];
                work[3 * i + c] = row;
            }
        }
        double sps = 0;
        for (int a = 0; a < 3 * n; a++) sps += s[a] * work[a];
        if (ys > 0 && sps > 0 && Double.isFinite(ys / sps)) mu = ys / sps;
        if (cell) {
            double yc = 0, sc = 0;
            for (int a = 3 * n; a < 3 * n + 9; a++) {
                yc += y[a] * s[a];
                sc += s[a] * s[a];
            }
            if (yc > 0 && sc > 0 && Double.isFinite(yc / sc)) muCell = yc / sc;
        }
    }
}
