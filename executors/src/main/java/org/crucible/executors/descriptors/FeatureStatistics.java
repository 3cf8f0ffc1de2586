package org.crucible.executors.descriptors;

import java.io.Serializable;

/**
 * Running per-column mean and variance of descriptor rows (Welford's update; Chan et al.'s pairwise merge), so a
 * pool spread over Spark partitions can be summarised per partition and merged on the driver without
 * collecting rows. Mutable accumulator: one per thread or partition.
 *
 * <pre>{@code
 * FeatureStatistics st = new FeatureStatistics(width);
 * rows.forEach(st::add);
 * FeatureStandardizer z = st.standardizer();
 * }</pre>
 */
public final class FeatureStatistics implements Serializable {
    private static final long serialVersionUID = 1L;
    private long count;
    private final double[] mean;
    private final double[] m2;

    public FeatureStatistics(int width) {
        if (width < 1) throw new IllegalArgumentException("feature width must be >= 1, got " + width);
        mean = new double[width];
        m2 = new double[width];
    }

    /** Adds one row (must have the accumulator's width and finite values). */
    public FeatureStatistics add(double[] row) {
        if (row.length != mean.length) throw new IllegalArgumentException("row has " + row.length + " values, expected " + mean.length);
        count++;
        for (int k = 0; k < row.length; k++) {
            if (!Double.isFinite(row[k])) throw new IllegalArgumentException("feature " + k + " is not finite: " + row[k]);
            double d = row[k] - mean[k];
            mean[k] += d / count;
            m2[k] += d * (row[k] - mean[k]);
        }
        return this;
    }

    /** Merges another accumulator of the same width into this one. */
    public FeatureStatistics merge(FeatureStatistics o) {
        if (o.mean.length != mean.length) throw new IllegalArgumentException("cannot merge widths " + mean.length + " and " + o.mean.length);
        if (o.count == 0) return this;
        long n = count + o.count;
        for (int k = 0; k < mean.length; k++) {
            double d = o.mean[k] - mean[k];
            mean[k] += d * o.count / n;
            m2[k] += o.m2[k] + d * d * count * o.count / n;
        }
        count = n;
        return this;
    }

    public long count() {
        return count;
    }

    /** Population standard deviation of each column. */
    public double[] standardDeviation() {
        double[] s = new double[mean.length];
        for (int k = 0; k < s.length; k++) s[k] = count > 0 ? Math.sqrt(Math.max(0, m2[k] / count)) : 0;
        return s;
    }

    /** z = (x - mean) / std per column; columns with (relative) zero spread map to 0. */
    public FeatureStandardizer standardizer() {
        if (count == 0) throw new IllegalStateException("no rows added");
        double[] sd = standardDeviation();
        double[] inv = new double[sd.length];
        for (int k = 0; k < sd.length; k++) inv[k] = sd[k] > 1e-12 * Math.max(1e-300, Math.abs(mean[k])) && sd[k] > 0 ? 1 / sd[k] : 0;
        return new FeatureStandardizer(mean.clone(), inv);
    }
}
