package org.crucible.executors.potentials;

import java.io.Serializable;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * D-optimality active set and extrapolation grade (Podryabinkin, Tikhonov, Shapeev, Oganov, PRB 99, 064114
 * (2019), eq. 5; Podryabinkin and Shapeev 2017 for maxvol): an m x m matrix A whose rows are m of the training rows
 * (here per-atom descriptors B_i, "neighbourhoods") chosen to maximise |det A|. A new row x has coordinates
 * c = x A^-1 in the active rows; its grade is gamma(x) = max_k |c_k|. gamma <= 1 interpolates, gamma > 1
 * extrapolates; a structure's grade is the largest over its atoms. Defaults: gamma_select = 2 (worth labelling),
 * gamma_break = 10 (stop the simulation).
 *
 * <p>When the training rows do not span all F features (a rank-deficient descriptor set, or fewer atoms than
 * features) the rows are first projected onto their numerical row space (eigenvectors of X^T X above 1e-10 of
 * the largest eigenvalue), m = rank; the part of a new row outside that space is not graded (documented
 * limitation: such a row is extrapolation in directions the fit cannot determine at all, and the committee
 * spread, not gamma, reports it).
 *
 * <p>Immutable and serialisable: updates return a new active set. Maxvol iterates row swaps while some
 * |B_ij| = |(X A^-1)_ij| exceeds 1 + {@link #MAXVOL_TOLERANCE}; each swap multiplies |det A| by |B_ij|.
 */
public final class ActiveSet implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final double DEFAULT_GAMMA_SELECT = 2.0;
    public static final double DEFAULT_GAMMA_BREAK = 10.0;
    static final double MAXVOL_TOLERANCE = 0.01;

    private final int features;
    private final int rank;
    private final double[] projection;   // F x m, row-major: x (1xF) -> x P (1xm)
    private final double[] rows;         // m x m active rows (projected), row-major
    private final double[] inverse;      // m x m, A^-1
    private final double gammaSelect;
    private final double gammaBreak;

    private ActiveSet(int features, int rank, double[] projection, double[] rows, double[] inverse, double gammaSelect, double gammaBreak) {
        if (!(gammaSelect >= 1) || !(gammaBreak >= gammaSelect)) {
            throw new IllegalArgumentException("need 1 <= gamma_select <= gamma_break, got gamma_select=" + gammaSelect + " gamma_break=" + gammaBreak);
        }
        this.features = features;
        this.rank = rank;
        this.projection = projection;
        this.rows = rows;
        this.inverse = inverse;
        this.gammaSelect = gammaSelect;
        this.gammaBreak = gammaBreak;
    }

    /** Restores a stored active set (model files); the inverse is recomputed from the rows. */
    public static ActiveSet of(int features, int rank, double[] projection, double[] rows, double gammaSelect, double gammaBreak) {
        if (projection.length != features * rank || rows.length != rank * rank) {
            throw new IllegalArgumentException("active set needs a " + features + "x" + rank + " projection and " + rank + "x" + rank + " rows");
        }
        return new ActiveSet(features, rank, projection.clone(), rows.clone(), invert(rows, rank), gammaSelect, gammaBreak);
    }

    /**
     * Maxvol selection from candidate rows (n x F row-major, e.g. the per-atom descriptors of every training
     * structure stacked).
     */
    public static ActiveSet select(double[] candidates, int n, int features, double gammaSelect, double gammaBreak) {
        if (candidates.length != (long) n * features) throw new IllegalArgumentException("candidates must be " + n + "x" + features);
        if (n < 1) throw new IllegalArgumentException("no candidate rows for the active set");
        // numerical row space from the Gram matrix X^T X
        DMatrixRMaj x = DMatrixRMaj.wrap(n, features, candidates);
        DMatrixRMaj gram = new DMatrixRMaj(features, features);
        CommonOps_DDRM.multTransA(x, x, gram);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(features, true, true);
        if (!eig.decompose(gram)) throw new IllegalStateException("eigen-decomposition of the " + features + "x" + features + " descriptor Gram matrix failed");
        double max = 0;
        for (int k = 0; k < features; k++) max = Math.max(max, eig.getEigenvalue(k).real);
        Integer[] order = new Integer[features];
        for (int k = 0; k < features; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Double.compare(eig.getEigenvalue(b).real, eig.getEigenvalue(a).real));
        int m = 0;
        while (m < features && eig.getEigenvalue(order[m]).real > 1e-10 * max) m++;
        m = Math.min(m, n);
        if (m == 0) throw new IllegalArgumentException("candidate rows are all zero: no active set");
        double[] projection = new double[features * m];
        for (int k = 0; k < m; k++) {
            DMatrixRMaj vec = eig.getEigenVector(order[k]);
            // fix the sign so the projection is reproducible
            int big = 0;
            for (int j = 0; j < features; j++) if (Math.abs(vec.get(j)) > Math.abs(vec.get(big))) big = j;
            double sign = vec.get(big) < 0 ? -1 : 1;
            for (int j = 0; j < features; j++) projection[j * m + k] = sign * vec.get(j);
        }
        double[] y = project(candidates, n, features, projection, m);
        int[] chosen = greedyRows(y, n, m);
        double[] a = new double[m * m];
        for (int k = 0; k < m; k++) System.arraycopy(y, chosen[k] * m, a, k * m, m);
        double[] inv = invert(a, m);
        // maxvol swaps: B = Y A^-1, swap while max |B_ij| > 1 + tol
        double[] b = multiply(y, n, m, inv, m);
        for (int swaps = 0; swaps < 100 * m; swaps++) {
            int bi = -1, bj = -1;
            double best = 1 + MAXVOL_TOLERANCE;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double v = Math.abs(b[i * m + j]);
                    if (v > best) {
                        best = v;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) break;
            chosen[bj] = bi;
            // rank-one update of B after replacing active row j by row i
            double pivot = b[bi * m + bj];
            double[] rowI = Arrays.copyOfRange(b, bi * m, bi * m + m);
            rowI[bj] -= 1;
            double[] colJ = new double[n];
            for (int i = 0; i < n; i++) colJ[i] = b[i * m + bj] / pivot;
            for (int i = 0; i < n; i++) {
                double cj = colJ[i];
                if (cj == 0) continue;
                for (int j = 0; j < m; j++) b[i * m + j] -= cj * rowI[j];
            }
        }
        for (int k = 0; k < m; k++) System.arraycopy(y, chosen[k] * m, a, k * m, m);
        return new ActiveSet(features, m, projection, a, invert(a, m), gammaSelect, gammaBreak);
    }

    /** Maxvol with the default thresholds. */
    public static ActiveSet select(double[] candidates, int n, int features) {
        return select(candidates, n, features, DEFAULT_GAMMA_SELECT, DEFAULT_GAMMA_BREAK);
    }

    public int features() {
        return features;
    }

    /** m, the number of active rows (the rank of the training descriptors). */
    public int size() {
        return rank;
    }

    public double gammaSelect() {
        return gammaSelect;
    }

    public double gammaBreak() {
        return gammaBreak;
    }

    public double[] projection() {
        return projection.clone();
    }

    public double[] rows() {
        return rows.clone();
    }

    /** Grade of each of n rows (n x F): gamma_r = max_k |(x_r P A^-1)_k|. */
    public double[] grades(double[] x, int n) {
        if (x.length != (long) n * features) throw new IllegalArgumentException("rows must be " + n + "x" + features);
        double[] y = project(x, n, features, projection, rank);
        double[] c = multiply(y, n, rank, inverse, rank);
        double[] g = new double[n];
        for (int r = 0; r < n; r++) {
            double best = 0;
            for (int k = 0; k < rank; k++) best = Math.max(best, Math.abs(c[r * rank + k]));
            g[r] = best;
        }
        return g;
    }

    /** The largest grade of n rows (a structure's extrapolation grade from its per-atom descriptors). */
    public double grade(double[] x, int n) {
        double best = 0;
        for (double g : grades(x, n)) best = Math.max(best, g);
        return best;
    }

    /**
     * The update rule of the MTP paper: every row with gamma > gamma_select replaces the active row k with the
     * largest |c_k| (each replacement multiplies |det A| by gamma), rows processed in the given order with the
     * grade re-evaluated against the updated set. Returns this set when nothing qualifies.
     */
    public ActiveSet update(double[] x, int n) {
        double[] y = project(x, n, features, projection, rank);
        double[] a = rows.clone();
        double[] inv = inverse;
        boolean changed = false;
        for (int r = 0; r < n; r++) {
            double[] yr = Arrays.copyOfRange(y, r * rank, r * rank + rank);
            double[] c = multiply(yr, 1, rank, inv, rank);
            int k = 0;
            for (int j = 1; j < rank; j++) if (Math.abs(c[j]) > Math.abs(c[k])) k = j;
            if (Math.abs(c[k]) > gammaSelect) {
                System.arraycopy(yr, 0, a, k * rank, rank);
                inv = invert(a, rank);
                changed = true;
            }
        }
        return changed ? new ActiveSet(features, rank, projection, a, inv, gammaSelect, gammaBreak) : this;
    }

    /**
     * Which active row each of n rows (n x F) is: {@code k} when its projection equals active row k (bit for bit, as
     * {@link #select} and {@link #update} copy projected rows into A), -1 when it is none. Lets a caller tell which
     * structures own the active set after a maxvol selection or update.
     */
    public int[] activeRowIndices(double[] x, int n) {
        if (x.length != (long) n * features) throw new IllegalArgumentException("rows must be " + n + "x" + features);
        double[] y = project(x, n, features, projection, rank);
        int[] out = new int[n];
        for (int r = 0; r < n; r++) {
            out[r] = -1;
            for (int k = 0; k < rank && out[r] < 0; k++) {
                if (Arrays.equals(y, r * rank, r * rank + rank, rows, k * rank, k * rank + rank)) out[r] = k;
            }
        }
        return out;
    }

    /** log |det A| (grows with every accepted update). */
    public double logAbsDeterminant() {
        DMatrixRMaj a = DMatrixRMaj.wrap(rank, rank, rows.clone());
        var lu = DecompositionFactory_DDRM.lu(rank, rank);
        if (!lu.decompose(a)) return Double.NEGATIVE_INFINITY;
        DMatrixRMaj u = lu.getUpper(null);
        double s = 0;
        for (int i = 0; i < rank; i++) s += Math.log(Math.abs(u.get(i, i)));
        return s;
    }

    private static double[] project(double[] x, int n, int f, double[] p, int m) {
        double[] y = new double[n * m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < f; j++) {
                double v = x[r * f + j];
                if (v == 0) continue;
                for (int k = 0; k < m; k++) y[r * m + k] += v * p[j * m + k];
            }
        }
        return y;
    }

    private static double[] multiply(double[] a, int n, int inner, double[] b, int m) {
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double v = a[i * inner + k];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) out[i * m + j] += v * b[k * m + j];
            }
        }
        return out;
    }

    /** Greedy pivoted Gram-Schmidt: m rows of largest residual norm, a good maxvol starting point. */
    private static int[] greedyRows(double[] y, int n, int m) {
        double[] res = y.clone();
        double[] norm2 = new double[n];
        for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) norm2[i] += res[i * m + k] * res[i * m + k];
        boolean[] used = new boolean[n];
        int[] chosen = new int[m];
        for (int s = 0; s < m; s++) {
            int best = -1;
            for (int i = 0; i < n; i++) if (!used[i] && (best < 0 || norm2[i] > norm2[best])) best = i;
            used[best] = true;
            chosen[s] = best;
            double nb = Math.sqrt(norm2[best]);
            if (!(nb > 0)) throw new IllegalStateException("active set rows are linearly dependent after " + s + " of " + m);
            double[] q = new double[m];
            for (int k = 0; k < m; k++) q[k] = res[best * m + k] / nb;
            for (int i = 0; i < n; i++) {
                if (used[i]) continue;
                double dot = 0;
                for (int k = 0; k < m; k++) dot += res[i * m + k] * q[k];
                double nn = 0;
                for (int k = 0; k < m; k++) {
                    res[i * m + k] -= dot * q[k];
                    nn += res[i * m + k] * res[i * m + k];
                }
                norm2[i] = nn;
            }
        }
        return chosen;
    }

    private static double[] invert(double[] a, int m) {
        DMatrixRMaj inv = new DMatrixRMaj(m, m);
        if (!CommonOps_DDRM.invert(DMatrixRMaj.wrap(m, m, a.clone()), inv)) {
            throw new IllegalStateException("active set matrix is singular");
        }
        return inv.data;
    }
}
