package org.crucible.driver.pool;

import org.crucible.executors.descriptors.LinearBasis;

/**
 * Mean-pooled descriptor of a structure: the average over atoms of the per-atom features B_i of the potential's
 * basis, (1/N) sum_i B_i (NN-ensemble protocol, step 5; standardisation to zero mean and unit variance per feature
 * happens on the driver over all rows, see {@code Standardizer}). The basis is the broadcast model.
 */
public record DescribeStage() implements PoolStage<LinearBasis> {
    private static final long serialVersionUID = 1L;

    @Override
    public PoolEntry apply(PoolEntry entry, LinearBasis basis, long seed) {
        return entry.withFeatures(meanPooled(basis.atomicFeatures(entry.structure()), entry.atoms(), basis.size()));
    }

    /** Column means of an N x F row-major matrix. */
    public static double[] meanPooled(double[] features, int n, int f) {
        if (features.length != n * f) throw new IllegalArgumentException("expected " + n + " x " + f + " features, got " + features.length + " values");
        double[] row = new double[f];
        for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) row[j] += features[i * f + j];
        for (int j = 0; j < f; j++) row[j] /= n;
        return row;
    }
}
