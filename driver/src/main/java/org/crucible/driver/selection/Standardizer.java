package org.crucible.driver.selection;

/**
 * Standardises feature columns to zero mean and unit variance (population standard deviation), the preprocessing the
 * NN-ensemble protocol applies to mean-pooled descriptors before DBSCAN. Constant columns become 0.
 */
public final class Standardizer {
    private Standardizer() {
    }

    /** A standardised copy of {@code rows}. */
    public static double[][] standardize(double[][] rows) {
        if (rows.length == 0) return new double[0][];
        int f = rows[0].length;
        double[] mean = new double[f];
        double[] sd = new double[f];
        for (double[] r : rows) for (int j = 0; j < f; j++) mean[j] += r[j];
        for (int j = 0; j < f; j++) mean[j] /= rows.length;
        for (double[] r : rows) for (int j = 0; j < f; j++) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        for (int j = 0; j < f; j++) sd[j] = Math.sqrt(sd[j] / rows.length);
        double[][] out = new double[rows.length][f];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < f; j++) out[i][j] = sd[j] > 1e-12 * Math.max(1.0, Math.abs(mean[j])) ? (rows[i][j] - mean[j]) / sd[j] : 0.0;
        }
        return out;
    }
}
