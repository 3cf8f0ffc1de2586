package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Leverage-score CUR row selection on a square kernel matrix, as the GAP-RSS paper selects structures (Bernstein,
 * Csanyi and Deringer, npj Comput. Mater. 5, 99 (2019), Methods; Mahoney and Drineas, PNAS 106, 697 (2009)): with
 * K = F F^T (F: n x d, the kernel's feature map), the leverage of row i is pi_i = (1/k) sum_{j &lt; k} U_ij^2 over the
 * top-k left singular vectors U of F (equivalently the top-k eigenvectors of K).
 *
 * <p><b>Deterministic choice with re-orthogonalisation</b> (not the randomised sampling of Mahoney and Drineas): the
 * row of largest leverage is taken (ties: lower index), then every row of F is projected onto the complement of the
 * chosen row, F &lt;- F (I - f_c f_c^T / |f_c|^2) (in kernel terms the Schur complement K - K_:c K_c: / K_cc), and
 * the leverages are recomputed, until {@code count} rows are chosen or the remaining matrix vanishes. This never picks
 * the same direction twice, so a rank-r matrix yields its r spanning rows first. The result is a pure function of K.
 *
 * <p>Two ways to get F:
 * <ul>
 *   <li>{@link #exact}: F = V Lambda^{1/2} from the eigendecomposition of the full n x n K (memory n^2 doubles);</li>
 *   <li>{@link #nystrom}: m landmark rows L (seeded sample without replacement), C = K[:, L], W = K[L, L] and
 *       F = C W^{-1/2} (pseudo-inverse, eigenvalues below 1e-10 max dropped), so K ~ C W^+ C^T and memory is n m;
 *       for a kernel of rank &lt;= m whose landmarks span it this is exact (tested against {@link #exact}).</li>
 * </ul>
 *
 * <pre>{@code
 * int[] rows = KernelCur.exact(k, 3).select(2);   // k: n x n row-major kernel, rank 3 of the leverage
 * }</pre>
 */
public final class KernelCur {
    private static final double EPS = 1e-10;

    private final DMatrixRMaj f;
    private final int rank;

    private KernelCur(DMatrixRMaj f, int rank) {
        if (rank < 1) throw new IllegalArgumentException("CUR rank k must be >= 1, got " + rank);
        this.f = f;
        this.rank = rank;
    }

    /** CUR over the full kernel {@code k} (n x n, symmetric positive semi-definite), leverage from the top {@code rank} vectors. */
    public static KernelCur exact(double[][] k, int rank) {
        int n = k.length;
        DMatrixRMaj km = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            if (k[i].length != n) throw new IllegalArgumentException("kernel row " + i + " has " + k[i].length + " entries, expected " + n);
            for (int j = 0; j < n; j++) km.set(i, j, 0.5 * (k[i][j] + k[j][i]));
        }
        return new KernelCur(sqrtFactor(km, null), rank);
    }

    /**
     * CUR over the Nystrom approximation of a kernel given by its columns at landmark rows: {@code columns} is
     * n x m (K[:, L]) and {@code landmarks} the m row indices L.
     */
    public static KernelCur nystrom(double[][] columns, int[] landmarks, int rank) {
        int n = columns.length, m = landmarks.length;
        DMatrixRMaj c = new DMatrixRMaj(n, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) c.set(i, j, columns[i][j]);
        DMatrixRMaj w = new DMatrixRMaj(m, m);
        for (int a = 0; a < m; a++) for (int b = 0; b < m; b++) w.set(a, b, 0.5 * (columns[landmarks[a]][b] + columns[landmarks[b]][a]));
        DMatrixRMaj wInvSqrt = new DMatrixRMaj(m, m);
        sqrtFactor(w, wInvSqrt);
        DMatrixRMaj fm = new DMatrixRMaj(n, m);
        CommonOps_DDRM.mult(c, wInvSqrt, fm);
        return new KernelCur(fm, rank);
    }

    /** {@code m} distinct landmark indices of {@code n}, a seeded uniform sample without replacement, sorted. */
    public static int[] landmarks(int n, int m, long seed) {
        if (m >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, m);
        Arrays.sort(out);
        return out;
    }

    /**
     * The row factor of a PSD matrix a = V diag(l) V^T: returns V diag(sqrt l) (n x n); when {@code invSqrtOut} is
     * given, also writes V diag(1/sqrt l) V^T there (eigenvalues below EPS max treated as zero).
     */
    static DMatrixRMaj sqrtFactor(DMatrixRMaj a, DMatrixRMaj invSqrtOut) {
        int n = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(a.copy())) throw new IllegalStateException("eigendecomposition of the " + n + " x " + n + " kernel failed");
        double max = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, eig.getEigenvalue(j).getReal());
        DMatrixRMaj out = new DMatrixRMaj(n, n);
        if (invSqrtOut != null) invSqrtOut.zero();
        for (int j = 0; j < n; j++) {
            double l = eig.getEigenvalue(j).getReal();
            if (!(l > EPS * max)) continue;
            DMatrixRMaj v = eig.getEigenVector(j);
            double s = Math.sqrt(l);
            for (int i = 0; i < n; i++) out.set(i, j, v.get(i) * s);
            if (invSqrtOut != null) {
                for (int p = 0; p < n; p++) for (int q = 0; q < n; q++) invSqrtOut.add(p, q, v.get(p) * v.get(q) / s);
            }
        }
        return out;
    }

    /** Leverage scores of the current (deflated) matrix: (1/k') sum over the top k' = min(k, rank) singular vectors. */
    double[] leverage(DMatrixRMaj fm) {
        int n = fm.numRows, d = fm.numCols;
        double[] lev = new double[n];
        if (n == 0 || d == 0) return lev;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, true, false, true);
        if (!svd.decompose(fm.copy())) throw new IllegalStateException("SVD of the " + n + " x " + d + " kernel factor failed");
        DMatrixRMaj u = svd.getU(null, false);
        double[] sv = svd.getSingularValues();
        int nsv = svd.numberOfSingularValues();
        SingularOps_DDRM.descendingOrder(u, false, sv, nsv, null, false);
        double top = nsv > 0 ? sv[0] : 0;
        int k = 0;
        while (k < Math.min(rank, nsv) && sv[k] > Math.sqrt(EPS) * top) k++;
        if (k == 0) return lev;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) s += u.get(i, j) * u.get(i, j);
            lev[i] = s / k;
        }
        return lev;
    }

    /** The leverage scores of the undeflated matrix (for records and tests). */
    public double[] leverageScores() {
        return leverage(f);
    }

    /** Up to {@code count} row indices in the order chosen (fewer when the matrix is exhausted). */
    public int[] select(int count) {
        DMatrixRMaj fm = f.copy();
        int n = fm.numRows, d = fm.numCols;
        List<Integer> chosen = new ArrayList<>();
        boolean[] taken = new boolean[n];
        double scale = 0;
        for (int i = 0; i < fm.data.length; i++) scale = Math.max(scale, Math.abs(fm.data[i]));
        while (chosen.size() < Math.min(count, n)) {
            double[] lev = leverage(fm);
            int best = -1;
            for (int i = 0; i < n; i++) if (!taken[i] && lev[i] > 0 && (best < 0 || lev[i] > lev[best])) best = i;
            if (best < 0) break;
            double norm2 = 0;
            for (int j = 0; j < d; j++) norm2 += fm.get(best, j) * fm.get(best, j);
            if (!(norm2 > EPS * scale * scale)) break;
            chosen.add(best);
            taken[best] = true;
            double[] fc = new double[d];
            for (int j = 0; j < d; j++) fc[j] = fm.get(best, j);
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += fm.get(i, j) * fc[j];
                double a = dot / norm2;
                for (int j = 0; j < d; j++) fm.add(i, j, -a * fc[j]);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
