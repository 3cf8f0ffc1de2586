package org.crucible.driver.protocol;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Set;
import org.crucible.driver.pool.PoolEntry;
import org.crucible.driver.pool.PoolFold;
import org.crucible.driver.pool.PoolStage;
import org.crucible.driver.pool.PoolSummary;

/**
 * What {@link DistributedCur} runs where the pool lives: the ids of the rows CUR may pick, a stage that replaces each
 * eligible row's descriptor by its Nystrom feature row f_i = c_i W^{-1/2} (c_i: the kernel between row i and the m
 * landmark rows; the pool persists it, so the m x d kernel work is done once), the Gram matrix G = F^T F, and the row
 * of largest leverage |f_i P|^2 / k for a projection P the driver computes each step.
 */
final class NystromCurFolds {
    private NystromCurFolds() {
    }

    /** Which rows CUR may pick: with a descriptor row, not among {@code excluded}, and with a finite energy if asked. */
    record Rows(Set<Long> excluded, boolean requireEnergy) implements Serializable {
        boolean eligible(PoolSummary r) {
            return r.features().length > 0 && !excluded.contains(r.id()) && (!requireEnergy || Double.isFinite(r.energy()));
        }
    }

    /** The landmark rows and the kernel exponent: c_i = ((x_i . l_j) / |x_i||l_j|)^zeta, as {@link GapRssSelections#kernel}. */
    record Landmarks(double[][] rows, int zeta) implements Serializable {
        double[] column(double[] x) {
            double[] c = new double[rows.length];
            for (int j = 0; j < rows.length; j++) c[j] = GapRssSelections.kernel(x, rows[j], zeta);
            return c;
        }
    }

    /** A growable list of ids. */
    static final class Ids implements Serializable {
        long[] ids = new long[16];
        int n;

        void add(long id) {
            if (n == ids.length) ids = Arrays.copyOf(ids, 2 * n);
            ids[n++] = id;
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(ids, n);
            Arrays.sort(out);
            return out;
        }
    }

    /** The ids of the eligible rows. */
    record EligibleIds() implements PoolFold<Rows, Ids> {
        @Override
        public Ids zero(Rows model) {
            return new Ids();
        }

        @Override
        public Ids add(Ids acc, PoolSummary row, Rows model) {
            if (model.eligible(row)) acc.add(row.id());
            return acc;
        }

        @Override
        public Ids merge(Ids a, Ids b) {
            for (int i = 0; i < b.n; i++) a.add(b.ids[i]);
            return a;
        }
    }

    /** The Nystrom feature map: the landmarks and W^{-1/2} (m x m, row-major). */
    record FeatureModel(Rows rows, Landmarks landmarks, double[] wInvSqrt) implements Serializable {
        double[] feature(double[] x) {
            double[] c = landmarks.column(x);
            int m = c.length;
            double[] f = new double[m];
            for (int a = 0; a < m; a++) {
                double ca = c[a];
                if (ca == 0) continue;
                for (int b = 0; b < m; b++) f[b] += ca * wInvSqrt[a * m + b];
            }
            return f;
        }
    }

    /** Each eligible entry's descriptor row replaced by its Nystrom feature row (the others keep theirs and stay ineligible). */
    record FeatureStage() implements PoolStage<FeatureModel> {
        @Override
        public PoolEntry apply(PoolEntry entry, FeatureModel model, long seed) {
            return model.rows().eligible(entry.summary()) ? entry.withFeatures(model.feature(entry.features())) : entry;
        }
    }

    /** G = sum_i f_i^T f_i (upper triangle accumulated, m x m row-major) and max |f_ij|. */
    static final class Gram implements Serializable {
        final double[] g;
        double maxAbs;

        Gram(int m) {
            g = new double[m * m];
        }
    }

    /** G over the feature rows of a pool mapped by {@link FeatureStage}. */
    record GramFold(int m) implements PoolFold<Rows, Gram> {
        @Override
        public Gram zero(Rows model) {
            return new Gram(m);
        }

        @Override
        public Gram add(Gram acc, PoolSummary row, Rows model) {
            if (!model.eligible(row)) return acc;
            double[] f = row.features();
            int m = f.length;
            for (int a = 0; a < m; a++) {
                double fa = f[a];
                acc.maxAbs = Math.max(acc.maxAbs, Math.abs(fa));
                if (fa == 0) continue;
                for (int b = a; b < m; b++) acc.g[a * m + b] += fa * f[b];
            }
            return acc;
        }

        @Override
        public Gram merge(Gram a, Gram b) {
            for (int i = 0; i < a.g.length; i++) a.g[i] += b.g[i];
            a.maxAbs = Math.max(a.maxAbs, b.maxAbs);
            return a;
        }
    }

    /** What a leverage pass needs: the rows, P (m x k row-major) and the ids already chosen. */
    record LeverageModel(Rows rows, double[] p, int k, Set<Long> taken) implements Serializable {
        double leverage(double[] c) {
            int m = c.length;
            double s = 0;
            for (int j = 0; j < k; j++) {
                double u = 0;
                for (int a = 0; a < m; a++) u += c[a] * p[a * k + j];
                s += u * u;
            }
            return s / k;
        }
    }

    /** The row of largest leverage so far (id -1: none), with its feature row. */
    static final class Best implements Serializable {
        long id = -1;
        double leverage;
        double[] column;

        boolean beats(long otherId, double otherLeverage) {
            return id >= 0 && (leverage > otherLeverage || (leverage == otherLeverage && id < otherId));
        }
    }

    /** The untaken eligible row of largest positive leverage, ties by the lower id (as {@link KernelCur#select}). */
    record ArgMaxLeverage() implements PoolFold<LeverageModel, Best> {
        @Override
        public Best zero(LeverageModel model) {
            return new Best();
        }

        @Override
        public Best add(Best acc, PoolSummary row, LeverageModel model) {
            if (!model.rows().eligible(row) || model.taken().contains(row.id())) return acc;
            double[] c = row.features();
            double lev = model.leverage(c);
            if (!(lev > 0) || acc.beats(row.id(), lev)) return acc;
            acc.id = row.id();
            acc.leverage = lev;
            acc.column = c;
            return acc;
        }

        @Override
        public Best merge(Best a, Best b) {
            if (b.id < 0) return a;
            if (a.id < 0) return b;
            return a.beats(b.id, b.leverage) ? a : b;
        }
    }
}
