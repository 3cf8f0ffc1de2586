package org.crucible.driver.selection;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * DBSCAN (Ester, Kriegel, Sander and Xu, KDD 1996) over rows of Euclidean feature vectors. A point is a core point
 * when at least {@code minSamples} points (itself included) lie within distance {@code eps} (inclusive); clusters are
 * the connected components of core points plus the border points they reach; everything else is noise (label -1).
 * Points are visited in index order and each cluster is expanded completely before the next starts, so labels are
 * deterministic and numbered by first core point, the same labelling as scikit-learn's {@code DBSCAN}.
 *
 * <p>Cost: O(n^2 d) distance evaluations with O(n) memory (neighbourhoods are recomputed, not stored). This is the
 * reference implementation; {@link IndexedDbscan} returns the same labels with a neighbour index and is what
 * {@link ClusterSelector} runs.
 */
public final class Dbscan {
    /** Label of noise points. */
    public static final int NOISE = -1;

    private final double eps;
    private final int minSamples;

    public Dbscan(double eps, int minSamples) {
        validate(eps, minSamples);
        this.eps = eps;
        this.minSamples = minSamples;
    }

    static void validate(double eps, int minSamples) {
        if (!(eps > 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("DBSCAN eps must be a finite number > 0, got " + eps);
        if (minSamples < 1) throw new IllegalArgumentException("DBSCAN min_samples must be >= 1, got " + minSamples);
    }

    static void checkRows(double[][] rows) {
        int n = rows.length;
        for (int i = 0; i < n; i++) {
            if (rows[i].length != rows[0].length) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, row 0 has " + rows[0].length);
            for (double v : rows[i]) if (!Double.isFinite(v)) throw new IllegalArgumentException("row " + i + " has a non-finite feature");
        }
    }

    /** Cluster labels 0, 1, ... per row, or {@link #NOISE}. Rows must all have the same length and be finite. */
    public int[] fit(double[][] rows) {
        checkRows(rows);
        int n = rows.length;
        double eps2 = eps * eps;
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < n && count < minSamples; j++) if (dist2(rows[i], rows[j]) <= eps2) count++;
            core[i] = count >= minSamples;
        }
        int[] labels = new int[n];
        Arrays.fill(labels, NOISE);
        int next = 0;
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (labels[i] != NOISE || !core[i]) continue;
            int c = next++;
            labels[i] = c;
            stack.push(i);
            while (!stack.isEmpty()) {
                int p = stack.pop();
                if (!core[p]) continue;
                for (int j = 0; j < n; j++) {
                    if (labels[j] == NOISE && dist2(rows[p], rows[j]) <= eps2) {
                        labels[j] = c;
                        stack.push(j);
                    }
                }
            }
        }
        return labels;
    }

    /** Squared Euclidean distance, summed in column order: the reference every DBSCAN decision here is made with. */
    static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }
}
