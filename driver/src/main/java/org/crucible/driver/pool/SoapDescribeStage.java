package org.crucible.driver.pool;

import org.crucible.executors.descriptors.AveragedSoap;

/**
 * The configuration-averaged SOAP vector p_hat of a structure (GAP-RSS eqs. 2-4, {@link AveragedSoap}: unit length,
 * dimensionless) as its descriptor row, so the kernel k = (p_hat . p_hat')^zeta of the CUR selector is a dot
 * product of summary rows. The descriptor is the broadcast model; no randomness.
 */
public record SoapDescribeStage() implements PoolStage<AveragedSoap> {
    private static final long serialVersionUID = 1L;

    @Override
    public PoolEntry apply(PoolEntry entry, AveragedSoap soap, long seed) {
        return entry.withFeatures(soap.describe(entry.structure()));
    }
}
