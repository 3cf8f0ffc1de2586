package org.crucible.driver.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.crucible.driver.pool.PoolSummary;

/**
 * Thinning a harvest of the entropy-max protocol to {@code keep} configurations by kernel CUR ({@link KernelCur}), as
 * the entropy-maximisation paper optionally thins its harvest, on a per-configuration descriptor.
 *
 * <p><b>Descriptor</b> ({@link #descriptor}): the kernel mean embedding of the configuration's per-atom environment
 * features q_i (m standardised features each, {@code EnvironmentFeatures}) under a Gaussian kernel of length
 * l = {@value #LENGTH} (feature units), made a fixed-length row by D = {@value #FEATURES} random Fourier features
 * (Rahimi and Recht, NIPS 2007): z(q) = sqrt(2/D) cos(W q + b), W_ka ~ N(0, 1/l^2), b_k ~ U[0, 2 pi), drawn once from
 * a fixed seed per m, and the row is the atom average (1/n) sum_i z(q_i). Then
 * z_A . z_B ~ (1/(n_A n_B)) sum_{i in A, j in B} exp(-|q_i - q_j|^2 / (2 l^2)): how much two configurations' clouds of
 * environments overlap.
 *
 * <p><b>Kernel and choice.</b> K_AB = z_A . z_B / (|z_A| |z_B|) (the normalised mean-embedding kernel; GAP-RSS's
 * cosine kernel with zeta = 1) over the harvested rows sorted by id (so the choice is a function of the set of rows);
 * CUR of rank k = keep picks rows by largest leverage with re-orthogonalisation: configurations whose environments
 * the others do not cover. Exact for N &lt;= {@value #LANDMARKS} rows, otherwise Nystrom on {@value #LANDMARKS}
 * seeded landmark rows. Should the kernel be exhausted first (duplicate rows, or more picks than its rank), the rest
 * is a seeded uniform draw among the unchosen rows. On real harvests this keeps a higher entropy of the kept
 * environments than random thinning of the same size ({@code HarvestThinningTest}); the mean and standard deviation
 * of q as the descriptor did not (measured, docs/entropy-max.md).
 *
 * <pre>{@code
 * double[] row = HarvestThinning.descriptor(features.compute(structure));   // on the executor
 * List<Long> kept = HarvestThinning.cur(summaries, 40, seed);               // ids, sorted, on the driver
 * }</pre>
 */
public final class HarvestThinning {
    /** Rows above which the kernel is Nystrom-approximated on this many landmarks. */
    static final int LANDMARKS = 500;
    /** D, random Fourier features per descriptor row. */
    public static final int FEATURES = 256;
    /** l, the Gaussian kernel length in standardised feature units. */
    public static final double LENGTH = 1.0;
    private static final long FOURIER_SEED = 0x52464646L;

    private HarvestThinning() {
    }

    /** The per-configuration descriptor: the atom mean of D random Fourier features of {@code q} (n x m). */
    public static double[] descriptor(double[][] q) {
        if (q.length == 0) throw new IllegalArgumentException("a configuration without atoms has no descriptor");
        int m = q[0].length;
        SplittableRandom rng = new SplittableRandom(FOURIER_SEED + m);
        double[][] w = new double[FEATURES][m];
        double[] b = new double[FEATURES];
        for (int k = 0; k < FEATURES; k++) {
            for (int a = 0; a < m; a++) w[k][a] = gaussian(rng) / LENGTH;
            b[k] = 2 * Math.PI * rng.nextDouble();
        }
        double amp = Math.sqrt(2.0 / FEATURES) / q.length;
        double[] out = new double[FEATURES];
        for (double[] qi : q) {
            for (int k = 0; k < FEATURES; k++) {
                double t = b[k];
                for (int a = 0; a < m; a++) t += w[k][a] * qi[a];
                out[k] += amp * Math.cos(t);
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /**
     * The ids of {@code count} of {@code rows} chosen by CUR on the Gaussian kernel of their standardised descriptor
     * rows, sorted; all ids when {@code count >= rows.size()}.
     *
     * @throws IllegalStateException when a row has no descriptor or the rows differ in length
     */
    public static List<Long> cur(List<PoolSummary> rows, int count, long seed) {
        List<PoolSummary> sorted = rows.stream().sorted(Comparator.comparingLong(PoolSummary::id)).toList();
        int n = sorted.size();
        List<Long> out = new ArrayList<>();
        if (count >= n) {
            for (PoolSummary r : sorted) out.add(r.id());
            return out;
        }
        if (count <= 0) return out;
        double[][] x = rows(sorted);
        KernelCur cur;
        if (n <= LANDMARKS) {
            double[][] k = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    k[i][j] = GapRssSelections.kernel(x[i], x[j], 1);
                    k[j][i] = k[i][j];
                }
            }
            cur = KernelCur.exact(k, count);
        } else {
            int[] land = KernelCur.landmarks(n, LANDMARKS, seed);
            double[][] c = new double[n][land.length];
            for (int i = 0; i < n; i++) for (int j = 0; j < land.length; j++) c[i][j] = GapRssSelections.kernel(x[i], x[land[j]], 1);
            cur = KernelCur.nystrom(c, land, Math.min(count, land.length));
        }
        boolean[] taken = new boolean[n];
        for (int i : cur.select(count)) {
            taken[i] = true;
            out.add(sorted.get(i).id());
        }
        if (out.size() < count) {
            List<Long> rest = new ArrayList<>();
            for (int i = 0; i < n; i++) if (!taken[i]) rest.add(sorted.get(i).id());
            out.addAll(SeededDraw.sorted(rest, count - out.size(), new SplittableRandom(seed)));
        }
        out.sort(Long::compare);
        return out;
    }

    /** The descriptor rows, checked to be present and of one length. */
    private static double[][] rows(List<PoolSummary> rows) {
        int n = rows.size();
        int d = rows.get(0).features().length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] f = rows.get(i).features();
            if (f.length == 0 || f.length != d) {
                throw new IllegalStateException("entropy.thinning: cur needs a descriptor row of the same length for every harvested configuration; "
                        + "configuration " + rows.get(i).id() + " has " + f.length + " values, the first " + d
                        + " (use the describer 'none' so the explorer's environment descriptor is kept, or entropy.thinning: random)");
            }
            x[i] = f;
        }
        return x;
    }
}
