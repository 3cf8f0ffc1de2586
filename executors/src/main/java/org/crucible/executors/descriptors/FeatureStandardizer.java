package org.crucible.executors.descriptors;

import java.io.Serializable;

/**
 * Column standardisation z_k = (x_k - mean_k) * inverseScale_k (inverseScale = 1 / population standard
 * deviation, 0 for constant columns), fitted by {@link FeatureStatistics}. Immutable.
 *
 * @param mean         column means
 * @param inverseScale reciprocal standard deviations
 */
public record FeatureStandardizer(double[] mean, double[] inverseScale) implements Serializable {
    public FeatureStandardizer {
        if (mean.length != inverseScale.length) throw new IllegalArgumentException("mean and scale lengths differ: " + mean.length + " vs " + inverseScale.length);
        mean = mean.clone();
        inverseScale = inverseScale.clone();
    }

    /** The standardised copy of a row. */
    public double[] apply(double[] row) {
        if (row.length != mean.length) throw new IllegalArgumentException("row has " + row.length + " values, expected " + mean.length);
        double[] z = new double[row.length];
        for (int k = 0; k < row.length; k++) z[k] = (row[k] - mean[k]) * inverseScale[k];
        return z;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] inverseScale() {
        return inverseScale.clone();
    }
}
