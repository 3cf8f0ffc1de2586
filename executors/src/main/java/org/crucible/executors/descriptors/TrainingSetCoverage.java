package org.crucible.executors.descriptors;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The entropy-maximisation paper's Table I surrogate for how well one training set covers another set's
 * environments: the mean, over the atoms of a test set, of the Euclidean distance to the nearest atom of a training
 * set, in a descriptor space standardised once over all sets together (each feature minus its mean over every atom
 * of every set, divided by its standard deviation; a feature constant over all atoms is left unscaled). Each set is
 * split at random by configuration (the atoms of one configuration stay together) into a training part and a test
 * part; entry [train a][test b] is the mean nearest-neighbour distance from the test part of set b to the training
 * part of set a, averaged over {@code splits} seeded splits. A small entry means the training set has environments
 * close to every test environment.
 *
 * <pre>{@code
 * double[][] d = TrainingSetCoverage.meanNearestDistances(sets, 10, 0.5, 1L); // sets: set -> configuration -> atom -> features
 * }</pre>
 */
public final class TrainingSetCoverage {
    private TrainingSetCoverage() {
    }

    /**
     * @param sets         per set, per configuration, per atom: the raw feature row (all of equal length)
     * @param splits       number of random train/test splits, at least 1
     * @param testFraction fraction of each set's configurations in the test part, in (0, 1); at least one
     *                     configuration goes to each part
     * @param seed         seed of the splits
     * @return d[a][b], mean nearest distance from set b's test atoms to set a's training atoms (standardised units)
     */
    public static double[][] meanNearestDistances(List<List<double[][]>> sets, int splits, double testFraction, long seed) {
        if (splits < 1) throw new IllegalArgumentException("splits must be >= 1, got " + splits);
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        for (int s = 0; s < sets.size(); s++) {
            if (sets.get(s).size() < 2) throw new IllegalArgumentException("set " + s + " has " + sets.get(s).size() + " configurations: a split needs at least 2");
        }
        List<List<double[][]>> z = standardised(sets);
        int k = z.size();
        double[][] d = new double[k][k];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < splits; t++) {
            List<double[][]> train = new ArrayList<>(), test = new ArrayList<>();
            for (List<double[][]> set : z) {
                int n = set.size();
                int nTest = Math.min(n - 1, Math.max(1, (int) Math.round(testFraction * n)));
                int[] order = permutation(n, rng);
                List<double[]> te = new ArrayList<>(), tr = new ArrayList<>();
                for (int i = 0; i < n; i++) for (double[] row : set.get(order[i])) (i < nTest ? te : tr).add(row);
                train.add(tr.toArray(double[][]::new));
                test.add(te.toArray(double[][]::new));
            }
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) d[a][b] += meanNearest(test.get(b), train.get(a)) / splits;
        }
        return d;
    }

    /** The rows of every set standardised with the mean and standard deviation over all atoms of all sets. */
    public static List<List<double[][]>> standardised(List<List<double[][]>> sets) {
        int m = -1;
        long count = 0;
        double[] mean = null, sq = null;
        for (List<double[][]> set : sets) {
            for (double[][] conf : set) {
                for (double[] row : conf) {
                    if (m < 0) {
                        m = row.length;
                        mean = new double[m];
                        sq = new double[m];
                    }
                    if (row.length != m) throw new IllegalArgumentException("feature rows of different lengths: " + m + " and " + row.length);
                    count++;
                    for (int c = 0; c < m; c++) {
                        double delta = row[c] - mean[c];
                        mean[c] += delta / count;
                        sq[c] += delta * (row[c] - mean[c]);
                    }
                }
            }
        }
        if (m < 0) throw new IllegalArgumentException("no atoms in any set");
        double[] sd = new double[m];
        for (int c = 0; c < m; c++) {
            double v = Math.sqrt(sq[c] / count);
            sd[c] = v > 1e-12 * Math.max(1, Math.abs(mean[c])) ? v : 1;
        }
        List<List<double[][]>> out = new ArrayList<>();
        for (List<double[][]> set : sets) {
            List<double[][]> s2 = new ArrayList<>();
            for (double[][] conf : set) {
                double[][] c2 = new double[conf.length][m];
                for (int i = 0; i < conf.length; i++) for (int c = 0; c < m; c++) c2[i][c] = (conf[i][c] - mean[c]) / sd[c];
                s2.add(c2);
            }
            out.add(s2);
        }
        return out;
    }

    /** Mean over the rows of {@code test} of the distance to the nearest row of {@code train}. */
    static double meanNearest(double[][] test, double[][] train) {
        double sum = 0;
        for (double[] q : test) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] r : train) {
                double d2 = 0;
                for (int c = 0; c < q.length && d2 < best; c++) {
                    double x = q[c] - r[c];
                    d2 += x * x;
                }
                if (d2 < best) best = d2;
            }
            sum += Math.sqrt(best);
        }
        return sum / test.length;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
