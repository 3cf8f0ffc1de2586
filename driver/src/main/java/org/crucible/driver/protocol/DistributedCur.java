package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.crucible.driver.pool.Pool;
import org.crucible.driver.pool.PoolSummary;
import org.crucible.driver.protocol.NystromCurFolds.ArgMaxLeverage;
import org.crucible.driver.protocol.NystromCurFolds.Best;
import org.crucible.driver.protocol.NystromCurFolds.EligibleIds;
import org.crucible.driver.protocol.NystromCurFolds.Gram;
import org.crucible.driver.protocol.NystromCurFolds.GramFold;
import org.crucible.driver.protocol.NystromCurFolds.FeatureModel;
import org.crucible.driver.protocol.NystromCurFolds.FeatureStage;
import org.crucible.driver.protocol.NystromCurFolds.Landmarks;
import org.crucible.driver.protocol.NystromCurFolds.LeverageModel;
import org.crucible.driver.protocol.NystromCurFolds.Rows;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * {@link KernelCur}'s Nystrom CUR selection with the n x m factor F = C W^{-1/2} left where the pool lives: the driver
 * holds the m landmark rows, m x m matrices and the ids, never a kernel row per structure, so the {@code cur} selector
 * scales with the pool (GAP-RSS, Bernstein, Csanyi and Deringer, npj Comput. Mater. 5, 99 (2019); leverage scores as
 * Mahoney and Drineas, PNAS 106, 697 (2009)).
 *
 * <p>The same choice as {@link KernelCur#select} in exact arithmetic. Deflating the chosen rows multiplies F on the
 * right by projections, F_t = F Q_t with Q_{t+1} = Q_t (I - g g^T / |g|^2) for the chosen row g = f_c Q_t, so the
 * top-k left singular vectors of F_t are U = F Q_t V Sigma^{-1}, with V and Sigma^2 the leading eigenpairs of the m x m
 * matrix Q_t^T G Q_t and G = F^T F. The rows f_i are computed once (a pool stage, persisted where the pool lives); each
 * step is one pass: leverage_i = |f_i P|^2 / k with P = Q_t V Sigma^{-1}, and the untaken row of largest leverage
 * (ties: lower id) comes back with its row. The
 * eigenvalue cut (sigma_j above sqrt(1e-10) sigma_0) and the stop on a vanished row are {@link KernelCur}'s. The Gram
 * route squares the condition number, so leverages agree with the driver's SVD to about 1e-8 relative rather than
 * 1e-15, and a near-tie between rows may resolve the other way.
 *
 * <p>Cost: one feature pass of n (m d + m^2) operations and a Gram pass of n m^2, then per pick one pass of n m k
 * operations on the executors and O(m^3) on the driver; the executors keep the n x m feature rows (persisted, memory
 * and disk); memory on the driver O(m^2 + n) (the ids, 8 bytes per row).
 */
final class DistributedCur {
    private static final double EPS = 1e-10;

    private DistributedCur() {
    }

    /**
     * Up to {@code count} ids of eligible rows of {@code pool} in the order chosen, with {@code landmarkCount} landmark
     * rows drawn as {@link KernelCur#landmarks} draws them from the id-sorted eligible rows.
     */
    /** The picks in the order chosen, and the sorted ids of the rows CUR chose from. */
    record Result(List<Long> picks, long[] eligible) {
    }

    static Result select(Pool pool, Set<Long> excluded, boolean requireEnergy, int count, int zeta, int rank, int landmarkCount, long seed) {
        Rows rows = new Rows(Set.copyOf(excluded), requireEnergy);
        long[] ids = pool.aggregate(new EligibleIds(), rows, "CUR: eligible rows").sorted();
        int n = ids.length;
        if (n == 0 || count <= 0) return new Result(List.of(), ids);
        int[] land = KernelCur.landmarks(n, landmarkCount, seed);
        List<Long> landIds = new ArrayList<>();
        for (int i : land) landIds.add(ids[i]);
        List<PoolSummary> landRows = pool.summaries(landIds);
        int m = landRows.size();
        double[][] lx = new double[m][];
        for (int j = 0; j < m; j++) lx[j] = landRows.get(j).features();
        Landmarks landmarks = new Landmarks(lx, zeta);

        DMatrixRMaj w = new DMatrixRMaj(m, m);
        for (int a = 0; a < m; a++) {
            double[] c = landmarks.column(lx[a]);
            for (int b = 0; b < m; b++) w.add(a, b, 0.5 * c[b]);
            for (int b = 0; b < m; b++) w.add(b, a, 0.5 * c[b]);
        }
        DMatrixRMaj wInvSqrt = new DMatrixRMaj(m, m);
        KernelCur.sqrtFactor(w, wInvSqrt);

        // The Nystrom rows f_i = c_i W^{-1/2}, computed once and persisted where the pool lives.
        Pool features = pool.map(new FeatureStage(), new FeatureModel(rows, landmarks, wInvSqrt.data.clone()), 0L, "CUR: Nystrom features on " + m + " landmarks");
        Gram gram = features.aggregate(new GramFold(m), rows, "CUR: Gram matrix of " + m + " Nystrom features");
        DMatrixRMaj g = new DMatrixRMaj(m, m);
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                g.set(a, b, gram.g[a * m + b]);
                g.set(b, a, gram.g[a * m + b]);
            }
        }
        int k = Math.min(Math.min(rank, n), m);
        DMatrixRMaj q = CommonOps_DDRM.identity(m);
        Set<Long> taken = new HashSet<>();
        List<Long> chosen = new ArrayList<>();
        while (chosen.size() < Math.min(count, n)) {
            DMatrixRMaj p = projection(g, q, k);
            if (p == null) break;
            Best best = features.aggregate(new ArgMaxLeverage(), new LeverageModel(rows, p.data, p.numCols, Set.copyOf(taken)),
                    "CUR: pick " + (chosen.size() + 1) + " of " + count);
            if (best.id < 0) break;
            // g = f_c Q_t, the chosen row of the deflated factor.
            DMatrixRMaj fc = new DMatrixRMaj(1, m, true, best.column);
            DMatrixRMaj row = new DMatrixRMaj(1, m);
            CommonOps_DDRM.mult(fc, q, row);
            double norm2 = CommonOps_DDRM.dot(row, row);
            if (!(norm2 > EPS * gram.maxAbs * gram.maxAbs)) break;
            chosen.add(best.id);
            taken.add(best.id);
            // Q <- Q (I - g^T g / |g|^2) = Q - (Q g^T) g / |g|^2
            DMatrixRMaj qg = new DMatrixRMaj(m, 1);
            CommonOps_DDRM.multTransB(q, row, qg);
            DMatrixRMaj update = new DMatrixRMaj(m, m);
            CommonOps_DDRM.mult(qg, row, update);
            CommonOps_DDRM.addEquals(q, -1.0 / norm2, update);
        }
        return new Result(List.copyOf(chosen), ids);
    }

    /**
     * P = Q V_k Sigma_k^{-1} (m x k') from the leading eigenpairs of Q^T G Q, with k' the eigenvalues kept by
     * {@link KernelCur}'s cut (at most {@code rank}); null when none is.
     */
    static DMatrixRMaj projection(DMatrixRMaj g, DMatrixRMaj q, int rank) {
        int m = g.numRows;
        DMatrixRMaj gq = new DMatrixRMaj(m, m);
        CommonOps_DDRM.mult(g, q, gq);
        DMatrixRMaj a = new DMatrixRMaj(m, m);
        CommonOps_DDRM.multTransA(q, gq, a);
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = 0.5 * (a.get(i, j) + a.get(j, i));
                a.set(i, j, s);
                a.set(j, i, s);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(a)) throw new IllegalStateException("eigendecomposition of the " + m + " x " + m + " CUR Gram matrix failed");
        Integer[] order = new Integer[m];
        double[] lambda = new double[m];
        for (int j = 0; j < m; j++) {
            order[j] = j;
            lambda[j] = eig.getEigenvalue(j).getReal();
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(lambda[y], lambda[x]));
        double top = lambda[order[0]];
        if (!(top > 0)) return null;
        int k = 0;
        while (k < Math.min(rank, m) && lambda[order[k]] > EPS * top) k++;
        if (k == 0) return null;
        DMatrixRMaj vs = new DMatrixRMaj(m, k);
        for (int j = 0; j < k; j++) {
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double s = 1.0 / Math.sqrt(lambda[order[j]]);
            for (int i = 0; i < m; i++) vs.set(i, j, v.get(i) * s);
        }
        DMatrixRMaj p = new DMatrixRMaj(m, k);
        CommonOps_DDRM.mult(q, vs, p);
        return p;
    }
}
