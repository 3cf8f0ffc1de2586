package org.crucible.executors.descriptors;

import org.crucible.core.Structure;

/**
 * Mean-pooled per-atom features of a cell, x = (1/N) sum_i B_i, as clustered by the pool-relaxation protocol with
 * ensemble uncertainty (the NN-ensemble paper clusters mean-pooled per-atom features). B_i are the raw ACE
 * features of {@link LinearBasis#atomicFeatures} (element blocks, so the mean also carries composition).
 * Clustering needs comparable scales: standardise a pool's rows with {@link FeatureStatistics} /
 * {@link FeatureStandardizer} before DBSCAN or k-means.
 *
 * <pre>{@code
 * AceMeanDescriptor d = new AceMeanDescriptor(new AceBasis(AceParameters.defaults(14)));
 * double[] row = d.describe(structure); // length basis.size(), dimensionless
 * }</pre>
 */
public final class AceMeanDescriptor implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final LinearBasis basis;

    public AceMeanDescriptor(LinearBasis basis) {
        this.basis = basis;
    }

    public LinearBasis basis() {
        return basis;
    }

    /** Length of a descriptor row. */
    public int size() {
        return basis.size();
    }

    /** (1/N) sum_i B_i of a structure with N &gt; 0 atoms. */
    public double[] describe(Structure s) {
        int n = s.size();
        if (n == 0) throw new IllegalArgumentException("mean-pooled features need at least one atom");
        int f = basis.size();
        double[] b = basis.atomicFeatures(s);
        double[] mean = new double[f];
        for (int i = 0; i < n; i++) for (int k = 0; k < f; k++) mean[k] += b[i * f + k];
        for (int k = 0; k < f; k++) mean[k] /= n;
        return mean;
    }
}
